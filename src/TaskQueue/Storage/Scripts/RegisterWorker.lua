-- RegisterWorker: announces a worker in RQ's layout, so `rq info` and RQ's commands see it.
-- Requires: Common
-- ARGV: prefix, worker name, ttl (s), queue count q, q queue names, then field name/value pairs.
local name, ttl = ARGV[2], tonumber(ARGV[3])
local q = tonumber(ARGV[4])
local key = worker_key(name)
local fields = {}
for k = 5 + q, #ARGV do fields[#fields + 1] = ARGV[k] end
redis.call('DEL', key)
redis.call('HSET', key, unpack(fields))
redis.call('SADD', workers_key(), key)
for k = 5, 4 + q do redis.call('SADD', queue_workers_key(ARGV[k]), key) end
redis.call('EXPIRE', key, ttl)
return 1
