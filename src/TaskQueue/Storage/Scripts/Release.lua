-- Release: started -> queued (at the front), for jobs a stopping worker hands back unfinished
-- (graceful shutdown past its grace period). Unlike an abandon, it does not count against the job.
-- Requires: Common
-- ARGV: prefix, worker, now (ISO-8601), then queue/id pairs.
-- Returns the number of jobs released; a job no longer owned by this worker is left alone.
local worker, now_iso = ARGV[2], ARGV[3]
local released = 0
for k = 4, #ARGV, 2 do
  local queue, id = ARGV[k], ARGV[k + 1]
  local key = job_key(id)
  if owned(key, worker) then
    redis.call('ZREM', registry_key('wip', queue), id)
    redis.call('HSET', key, 'worker_name', '')
    push_queued(id, queue, true, now_iso)
    released = released + 1
  end
end
return released
