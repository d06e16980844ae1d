-- UnregisterWorker: removes a stopping worker from the worker sets; its hash lingers a minute, as RQ's does.
-- Requires: Common
-- ARGV: prefix, worker name, now (ISO-8601), queue names...
local name, now_iso = ARGV[2], ARGV[3]
local key = worker_key(name)
redis.call('SREM', workers_key(), key)
for k = 4, #ARGV do redis.call('SREM', queue_workers_key(ARGV[k]), key) end
redis.call('HSET', key, 'death', now_iso, 'state', 'dead')
redis.call('HDEL', key, 'current_job')
redis.call('EXPIRE', key, 60)
return 1
