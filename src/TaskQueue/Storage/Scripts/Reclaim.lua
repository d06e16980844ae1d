-- Reclaim: started -> queued (at the front), for jobs that a Complete call whose reply was lost started for
-- this worker. Such a call ran (a cut connection, a reply that timed out) but the worker never learnt which jobs
-- it started: they sit in the started registry under its name, running nowhere, and would wait for their lease
-- to lapse and then count as abandoned. Like Release, it does not count against the job.
-- Requires: Common
-- ARGV: prefix, worker, now (ISO-8601), queue count q, q queue names, then the ids the worker holds (running,
--       or ended with their outcome not yet recorded).
-- Returns the number of jobs put back. Reads at most 10,000 started entries per queue: it runs only after a
-- failed call.
local worker, now_iso = ARGV[2], ARGV[3]
local q = tonumber(ARGV[4])
local held = {}
for k = 5 + q, #ARGV do held[ARGV[k]] = true end
local reclaimed = 0
for k = 5, 4 + q do
  local queue = ARGV[k]
  local wip = registry_key('wip', queue)
  local ids = redis.call('ZRANGE', wip, 0, 9999)
  -- Backwards: each goes to the front, so the jobs keep the order they were started in.
  for n = #ids, 1, -1 do
    local id = ids[n]
    if not held[id] then
      local key = job_key(id)
      if owned(key, worker) then
        redis.call('ZREM', wip, id)
        redis.call('HSET', key, 'worker_name', '')
        push_queued(id, queue, true, now_iso)
        reclaimed = reclaimed + 1
      end
    end
  end
end
return reclaimed
