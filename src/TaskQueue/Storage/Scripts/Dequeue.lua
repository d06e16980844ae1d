-- Dequeue: queued -> started, for up to `count` jobs, taking the queues in strict priority order.
-- Requires: Common
-- The pop and the entry in the started ('wip') registry happen in one step, so a worker killed at any
-- point leaves the job either in its queue or in the registry, where its lease expires and a sweep
-- re-queues it (RequeueAbandoned). RQ 1.x pops first and registers later; its issue #580 is that gap.
-- An id whose hash is gone (its ttl expired while queued, or it was deleted) is dropped, as RQ does, and so
-- is one whose job is no longer queued.
-- What the worker needs to run a job, by its slot in a row; StartedJob.cs reads the rows in this order.
-- A job hash holds only the fields it needs (see NewJob.Build), so one HGETALL of its 4-10 fields is
-- cheaper than an HMGET of all that may be there, most of them missing.
local JOB_FIELDS = { data = 1, timeout = 2, description = 3, meta = 4, success_callback_name = 5,
                     failure_callback_name = 6, stopped_callback_name = 7, abandoned_count = 8, result_ttl = 9 }
local RETURNED = 9
-- Each started job adds id, queue and the RETURNED fields to the flat reply: one array for the whole batch
-- instead of a table per job. Absent fields are false (nil in the reply).
local ROW = RETURNED + 2

-- Appends the rows of the started jobs to `out`; returns the number of dropped ids.
-- lease_until is RQ's integer score (epoch s) as the client sent it: no number formatting per job.
local function dequeue(worker, queues, count, lease_until, now_iso, out)
  local dropped = 0
  local taken = 0
  for _, queue in ipairs(queues) do
    local qkey = queue_key(queue)
    -- score, id pairs: the started registry gets one ZADD per queue, not one per job.
    local leases = {}
    -- Ids popped here that cannot start are dropped, so popping more than the free slots could drop work
    -- another worker would have done: pop exactly what is missing, again while some were dropped.
    while taken < count do
      local ids = redis.call('LPOP', qkey, count - taken)
      if not ids then break end
      -- Garnet 2.2.8 answers LPOP key 1 with a bare string where Redis gives a one-element list.
      if type(ids) ~= 'table' then ids = { ids } end
      for _, id in ipairs(ids) do
        local key = job_key(id)
        local h = redis.call('HGETALL', key)
        local row = { id, queue, false, false, false, false, false, false, false, false, false }
        local status, has_ttl = nil, false
        for j = 1, #h, 2 do
          local name = h[j]
          local slot = JOB_FIELDS[name]
          if slot then
            row[slot + 2] = h[j + 1]
          elseif name == 'status' then
            status = h[j + 1]
          elseif name == 'ttl' then
            has_ttl = true
          end
        end
        if not row[3] or (status and status ~= 'queued' and status ~= '') then
          -- Gone, or not queued any more (canceled, a duplicate id already started or ended): a queue entry
          -- is only valid while the job's hash says 'queued' (or, for a hand-written job, says nothing).
          dropped = dropped + 1
        else
          leases[#leases + 1] = lease_until
          leases[#leases + 1] = id
          -- last_heartbeat stays unset until the first heartbeat: RQ reads a missing field as None, and the
          -- lease score, not this field, is what the sweep goes by.
          redis.call('HSET', key, 'status', 'started', 'started_at', now_iso, 'worker_name', worker)
          -- A job's ttl bounds its wait in the queue only; once started it must outlive its run.
          if has_ttl then redis.call('PERSIST', key) end
          local base = #out
          for k = 1, ROW do out[base + k] = row[k] end
          taken = taken + 1
        end
      end
    end
    if #leases > 0 then call_batched('ZADD', registry_key('wip', queue), leases) end
  end
  return dropped
end
