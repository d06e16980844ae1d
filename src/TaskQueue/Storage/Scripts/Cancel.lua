-- Cancel: queued | deferred | scheduled -> canceled.
-- Requires: Common
-- ARGV: prefix, job id, now (epoch s)
-- Returns 1 when canceled, the job's status when it cannot be (it has started, ended, or is canceled
-- already), or false when there is no such job.
local id, now = ARGV[2], tonumber(ARGV[3])
local key = job_key(id)
local f = hmget(key, 'status', 'origin', 'data') or {}
if not f[3] or not f[2] then return false end
local status, queue = f[1], f[2]
if status == 'queued' then
  redis.call('LREM', queue_key(queue), 0, id)
elseif status == 'deferred' or status == 'scheduled' then
  redis.call('ZREM', registry_key(status, queue), id)
else
  return status
end
redis.call('HSET', key, 'status', 'canceled')
redis.call('ZADD', registry_key('canceled', queue), now, id)
return 1
