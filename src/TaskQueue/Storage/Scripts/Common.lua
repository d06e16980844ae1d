-- Common: key names and the steps several transitions share. Every entry script starts with this file.
-- ARGV[1] is always the key prefix ("rq:" unless configured). The key names mirror RedisKeys.cs;
-- RedisKeysTests checks the two agree.
local prefix = ARGV[1]

local function job_key(id) return prefix .. 'job:' .. id end
local function dependents_key(id) return prefix .. 'job:' .. id .. ':dependents' end
-- RQ writes the double colon in every version; a compatible writer copies it.
local function dependencies_key(id) return prefix .. 'job::' .. id .. ':dependencies' end
local function results_key(id) return prefix .. 'results:' .. id end
local function queue_key(name) return prefix .. 'queue:' .. name end
local function queues_key() return prefix .. 'queues' end
local function registry_key(kind, name) return prefix .. kind .. ':' .. name end
local function worker_key(name) return prefix .. 'worker:' .. name end
local function workers_key() return prefix .. 'workers' end
local function queue_workers_key(name) return prefix .. 'workers:' .. name end
local function suspended_key() return prefix .. 'suspended' end
local function scheduler_wakeup_channel() return prefix .. 'scheduler:wakeup' end

-- Puts a job at the end (or the front) of its queue as 'queued'.
local function push_queued(id, queue, at_front, now_iso)
  redis.call('HSET', job_key(id), 'status', 'queued', 'enqueued_at', now_iso)
  redis.call('SADD', queues_key(), queue_key(queue))
  if at_front then
    redis.call('LPUSH', queue_key(queue), id)
  else
    redis.call('RPUSH', queue_key(queue), id)
  end
end

-- Runs `command key args...` in chunks: one call for a whole batch instead of one per job, while staying
-- under Lua's limit on unpack (a few thousand values).
local function call_batched(command, key, args)
  for first = 1, #args, 1000 do
    redis.call(command, key, unpack(args, first, math.min(first + 999, #args)))
  end
end

-- The list kept under `key` in `map`, made on first use: how a script collects ids per queue or registry to
-- send one command per key (one ZADD per registry, one RPUSH per queue) instead of one per job.
local function list_for(map, key)
  local list = map[key]
  if not list then
    list = {}
    map[key] = list
  end
  return list
end

-- Lets `key` expire `ttl` seconds from now, or keeps it forever when ttl is negative (RQ's -1).
local function expire_in(key, ttl)
  if tonumber(ttl) < 0 then redis.call('PERSIST', key) else redis.call('EXPIRE', key, ttl) end
end

-- Files a job (hash at `key`) in a registry until `ttl` seconds from now (the registry score `score`, RQ's now + ttl in whole
-- seconds) and lets the job and its dependency edges expire with it (only the edge sets that can exist are
-- touched). ttl -1 keeps it forever; RQ scores that +inf. Callers on the hot path pass ttl and score as the
-- text the client sent: a Lua number given to redis.call is formatted with printf, then parsed again by Redis.
-- With `batch` (registry -> {score, id, ...}) the registry entry is collected for one ZADD per registry
-- (flush_registries) instead of being added at once.
local function keep_for(id, key, registry, ttl, score, has_dependents, has_dependencies, batch)
  if tonumber(ttl) < 0 then score = '+inf' end
  expire_in(key, ttl)
  if has_dependents then expire_in(dependents_key(id), ttl) end
  if has_dependencies then expire_in(dependencies_key(id), ttl) end
  if batch then
    local pairs_of = list_for(batch, registry)
    pairs_of[#pairs_of + 1] = score
    pairs_of[#pairs_of + 1] = id
  else
    redis.call('ZADD', registry, score, id)
  end
end

-- Adds the registry entries keep_for collected: one ZADD per registry.
local function flush_registries(batch)
  for registry, pairs_of in pairs(batch) do call_batched('ZADD', registry, pairs_of) end
end

-- A job's own TTL field and the registry score that goes with it, or the defaults the caller passed
-- (default_ttl and default_score as text, so the common case formats no numbers).
local function ttl_and_score(value, default_ttl, default_score, now)
  local ttl = tonumber(value)
  if ttl == nil then return default_ttl, default_score end
  return ttl, math.floor(now) + ttl
end

-- Stores an outcome where RQ 1.13 reads it: a results stream entry on servers with streams
-- (the caller passes the value already base64-encoded), else a field of the job hash.
local function store_result(id, streams, stream_field, stream_value, hash_field, hash_value, result_type, ttl)
  if streams then
    local key = results_key(id)
    redis.call('XADD', key, 'MAXLEN', '~', 10, '*', 'type', result_type, stream_field, stream_value)
    expire_in(key, ttl)
  end
  if hash_value ~= '' then
    redis.call('HSET', job_key(id), hash_field, hash_value)
  end
end

-- The fields an ending job needs, or nil when `worker` no longer owns the started job (hash at `key`): a job
-- another worker rescued (its lease expired) belongs to that worker now, and this one must not move it.
local function owned(key, worker, ...)
  local f = redis.call('HMGET', key, 'status', 'worker_name', ...)
  if f[1] == 'started' and f[2] == worker then return f end
  return nil
end
