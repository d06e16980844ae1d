-- RequeueAbandoned: started -> queued (at the front), for jobs whose lease has expired because their
-- worker stopped heartbeating (killed, frozen, cut off). After `max_abandons` such rescues the job is a
-- poison pill: it is failed with an abandoned-job error instead of being run again.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- ARGV: prefix, now (ISO-8601), now (epoch s), max abandons, limit per queue, streams (0/1),
--       default failure ttl (s), exc for hash, exc for stream, queue names...
-- Returns a flat list: id, 'queued' | 'failed', id, ...
local now_iso, now = ARGV[2], tonumber(ARGV[3])
local max_abandons, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local streams = ARGV[6] == '1'
local failure_defaults = retention_of(ARGV[7], math.floor(now) + tonumber(ARGV[7]))
local exc_hash, exc_stream = ARGV[8], ARGV[9]
local out = {}
for k = 10, #ARGV do
  local queue = ARGV[k]
  local wip = registry_key('wip', queue)
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', wip, '-inf', now, 'LIMIT', 0, limit)) do
    redis.call('ZREM', wip, id)
    local key = job_key(id)
    local f = hmget(key, 'data', 'status', 'failure_ttl', 'dependency_ids') or {}
    if f[1] and f[2] == 'started' then
      local abandons = redis.call('HINCRBY', key, 'abandoned_count', 1)
      redis.call('HSET', key, 'worker_name', '')
      if abandons > max_abandons then
        redis.call('HSET', key, 'status', 'failed', 'ended_at', now_iso, 'exc_info', exc_hash)
        local kept = retention(f[3], failure_defaults, now)
        store_result(id, streams, 'exc_string', exc_stream, 'exc_info', '', 2, kept)
        local has_dependents = enqueue_dependents(id, 'failed', now_iso)
        keep_for(id, key, registry_key('failed', queue), kept, has_dependents, f[4])
        out[#out + 1] = id
        out[#out + 1] = 'failed'
      else
        push_queued(id, queue, true, now_iso)
        out[#out + 1] = id
        out[#out + 1] = 'queued'
      end
    end
  end
end
return out
