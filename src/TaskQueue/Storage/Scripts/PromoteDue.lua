-- PromoteDue: scheduled -> queued, for every job whose due time has come.
-- Requires: Common
-- ARGV: prefix, now (ISO-8601), now (epoch s), limit per queue, queue names...
-- Returns { promoted count, earliest remaining due time (epoch s) or false }, so the scheduler
-- can sleep exactly until then.
local now_iso, now, limit = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local promoted = 0
local earliest = false
for k = 5, #ARGV do
  local queue = ARGV[k]
  local registry = registry_key('scheduled', queue)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', registry, '-inf', now, 'LIMIT', 0, limit)) do
    redis.call('ZREM', registry, id)
    local f = hmget(job_key(id), 'data', 'enqueue_at_front') or {}
    if f[1] then
      push_queued(id, queue, f[2] == '1', now_iso)
      promoted = promoted + 1
    end
  end
  local next = redis.call('ZRANGE', registry, 0, 0, 'WITHSCORES')
  if next[2] then
    local due = tonumber(next[2])
    if not earliest or due < earliest then earliest = due end
  end
end
if earliest then earliest = tostring(earliest) end
return { promoted, earliest }
