-- Dequeue: queued -> started, for up to `count` jobs, taking the queues in strict priority order.
-- Requires: Common
-- The pop and the entry in the started ('wip') registry happen in one step, so a worker killed at any
-- point leaves the job either in its queue or in the registry, where its lease expires and a sweep
-- re-queues it (RequeueAbandoned). RQ 1.x pops first and registers later; its issue #580 is that gap.
-- An id whose hash is gone (its ttl expired while queued, or it was deleted) is dropped, as RQ does, and so
-- is one whose job is no longer queued.
-- What the worker needs to run a job; StartedJob.cs reads the rows in this order. 'repeats_left' is RQ 2.x's
-- Repeat, which the worker refuses rather than run once. The last two, 'status' and 'ttl', are for this script only.
local JOB_FIELDS = { 'data', 'timeout', 'description', 'retries_left', 'meta', 'success_callback_name',
                     'failure_callback_name', 'stopped_callback_name', 'abandoned_count', 'result_ttl', 'repeats_left',
                     'status', 'ttl' }
local RETURNED = #JOB_FIELDS - 2

-- Appends {id, queue, JOB_FIELDS...} for each started job to `out`; returns the number of dropped ids.
local function dequeue(worker, queues, count, lease_until, now_iso, out)
  local dropped = 0
  local taken = 0
  for _, queue in ipairs(queues) do
    local qkey = queue_key(queue)
    local wip = registry_key('wip', queue)
    -- Ids popped here that cannot start are dropped, so popping more than the free slots could drop work
    -- another worker would have done: pop exactly what is missing, again while some were dropped.
    while taken < count do
      local ids = redis.call('LPOP', qkey, count - taken)
      if not ids then break end
      -- Garnet 2.2.8 answers LPOP key 1 with a bare string where Redis gives a one-element list.
      if type(ids) ~= 'table' then ids = { ids } end
      for _, id in ipairs(ids) do
        local key = job_key(id)
        local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
        local status = f[RETURNED + 1]
        if not f[1] or (status and status ~= 'queued' and status ~= '') then
          -- Gone, or not queued any more (canceled, a duplicate id already started or ended): a queue entry
          -- is only valid while the job's hash says 'queued' (or, for a hand-written job, says nothing).
          dropped = dropped + 1
        else
          redis.call('ZADD', wip, lease_until, id)
          redis.call('HSET', key, 'status', 'started', 'started_at', now_iso, 'last_heartbeat', now_iso,
                     'worker_name', worker)
          -- A job's ttl bounds its wait in the queue only; once started it must outlive its run.
          if f[RETURNED + 2] then redis.call('PERSIST', key) end
          local row = { id, queue }
          for k = 1, RETURNED do row[k + 2] = f[k] end
          out[#out + 1] = row
          taken = taken + 1
        end
      end
    end
  end
  return dropped
end
