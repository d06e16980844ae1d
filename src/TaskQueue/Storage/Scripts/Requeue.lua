-- Requeue: failed | stopped | canceled -> queued, by hand (RQ's FailedJobRegistry.requeue).
-- Requires: Common
-- ARGV: prefix, now (ISO-8601), at front (0/1), job ids...
-- Returns a flat list: id, outcome ('queued', the status it could not leave, or 'missing'), ...
local now_iso, at_front = ARGV[2], ARGV[3] == '1'
local out = {}
for k = 4, #ARGV do
  local id = ARGV[k]
  local key = job_key(id)
  local f = hmget(key, 'status', 'origin', 'data') or {}
  local outcome
  if not f[3] or not f[2] then
    -- No job, or one without its queue (origin): nothing to put back.
    outcome = 'missing'
  elseif f[1] == 'failed' or f[1] == 'stopped' or f[1] == 'canceled' then
    redis.call('ZREM', registry_key('failed', f[2]), id)
    redis.call('ZREM', registry_key('canceled', f[2]), id)
    redis.call('HSET', key, 'started_at', '', 'ended_at', '', 'exc_info', '', 'worker_name', '')
    redis.call('HDEL', key, 'abandoned_count')
    redis.call('PERSIST', key)
    push_queued(id, f[2], at_front, now_iso)
    outcome = 'queued'
  else
    outcome = f[1]
  end
  out[#out + 1] = id
  out[#out + 1] = outcome
end
return out
