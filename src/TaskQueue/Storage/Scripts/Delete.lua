-- Delete: a job -> gone, wherever it is: its queue list, every registry of its queue, its hash, its results
-- stream, its dependency edges (RQ's job.delete()).
-- Requires: Common
-- ARGV: prefix, job id
-- Returns the status the job had, or false when there is no such job.
-- A started job is deleted too: its worker finds it gone when it ends (Finish/Fail see no owner) and records
-- nothing. Jobs waiting on this one keep waiting (as in RQ): delete or requeue them as well.
local id = ARGV[2]
local key = job_key(id)
-- A key that is not a hash is no job: left alone (hmget answers nil for it).
local f = hmget(key, 'status', 'origin')
if not f or redis.call('EXISTS', key) == 0 then return false end
local status, queue = f[1] or '', f[2]
if queue then
  redis.call('LREM', queue_key(queue), 0, id)
  for _, kind in ipairs({ 'wip', 'finished', 'failed', 'deferred', 'scheduled', 'canceled' }) do
    redis.call('ZREM', registry_key(kind, queue), id)
  end
end
-- The parents forget this dependent, so finishing them does not look for it.
for _, parent in ipairs(smembers(dependencies_key(id))) do
  redis.call('SREM', dependents_key(parent), id)
end
redis.call('DEL', key, results_key(id), dependents_key(id), dependencies_key(id))
return status
