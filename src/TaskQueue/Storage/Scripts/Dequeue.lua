-- Dequeue: queued -> started, for up to `count` jobs, taking the queues in strict priority order.
-- Requires: Common
-- The pop and the entry in the started ('wip') registry happen in one step, so a worker killed at any
-- point leaves the job either in its queue or in the registry, where its lease expires and a sweep
-- re-queues it (RequeueAbandoned). RQ 1.x pops first and registers later; its issue #580 is that gap.
-- An id whose hash is gone (its ttl expired while queued, or it was deleted) is dropped, as RQ does.
-- What the worker needs to run a job; StartedJob.cs reads the rows in this order. 'status' is last and
-- is not returned.
local JOB_FIELDS = { 'data', 'timeout', 'description', 'retries_left', 'meta', 'success_callback_name',
                     'failure_callback_name', 'stopped_callback_name', 'abandoned_count', 'result_ttl', 'status' }

-- Appends {id, queue, JOB_FIELDS...} for each started job to `out`; returns the number of dropped ids.
local function dequeue(worker, queues, count, lease_until, now_iso, out)
  local dropped = 0
  local taken = 0
  for _, queue in ipairs(queues) do
    local qkey = queue_key(queue)
    while taken < count do
      local id = redis.call('LPOP', qkey)
      if not id then break end
      local key = job_key(id)
      local f = redis.call('HMGET', key, unpack(JOB_FIELDS))
      local status = f[#JOB_FIELDS]
      if not f[1] or status == 'canceled' or status == 'started' then
        -- Gone, canceled, or a duplicate id already running elsewhere: nothing to start.
        dropped = dropped + 1
      else
        redis.call('ZADD', registry_key('wip', queue), lease_until, id)
        redis.call('HSET', key, 'status', 'started', 'started_at', now_iso, 'last_heartbeat', now_iso,
                   'worker_name', worker)
        redis.call('PERSIST', key)
        local row = { id, queue }
        for k = 1, #JOB_FIELDS - 1 do row[k + 2] = f[k] end
        out[#out + 1] = row
        taken = taken + 1
      end
    end
  end
  return dropped
end
