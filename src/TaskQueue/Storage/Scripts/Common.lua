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
local function cron_key() return prefix .. 'cron' end
local function cron_entries_key() return prefix .. 'cron:entries' end
local function cron_paused_key() return prefix .. 'cron:paused' end
local function stats_key(bucket) return prefix .. 'stats:' .. bucket end
local function paused_key(name) return prefix .. 'paused:' .. name end
local function limits_key(name) return prefix .. 'limits:' .. name end
local function rate_key(name) return prefix .. 'rate:' .. name end

-- A script that fails half-way keeps the writes it made before the failure: Redis does not roll a script back.
-- So every script reads and checks what it needs before its first write, and a read of a key that a producer,
-- a person with redis-cli or a corrupt payload may have written must not raise: a job key holding a string, a
-- list or a zset answers WRONGTYPE to a hash command, and an uncaught error there left jobs popped but never
-- registered (lost). These readers answer nil instead, which every caller treats like a missing key.

-- HMGET on a key that may not be a hash: the values, or nil when the key holds another type.
local function hmget(key, ...)
  local f = redis.pcall('HMGET', key, ...)
  if f.err then return nil end
  return f
end

-- HGET on a key that may not be a hash: the value, or false when it is missing or the key holds another type.
local function hget(key, field)
  local v = redis.pcall('HGET', key, field)
  if type(v) == 'table' then return false end
  return v
end

-- SMEMBERS on a key that may not be a set: its members, or an empty list.
local function smembers(key)
  local m = redis.pcall('SMEMBERS', key)
  if m.err then return {} end
  return m
end

-- The largest TTL, timeout or interval taken from a job hash, in seconds (100 years): EXPIRE and the worker's
-- timers refuse far bigger numbers, and a field beyond it is a corrupt or hostile job, not a wish.
local MAX_SECONDS = 3153600000

-- The most retries a job may ask for ("inf" retried a failing job 57,480 times in 20 s).
local MAX_RETRIES = 1000000

-- A whole number within [min, max] read from a hash field, or nil: missing, not a number, a fraction ("1.5",
-- which EXPIRE refuses), inf or nan ("inf" counted retries down forever).
local function whole(value, min, max)
  local n = tonumber(value)
  if n and n == math.floor(n) and n >= min and n <= max then return n end
  return nil
end

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

-- How long an ended job is kept ("retention"): { ttl = as given to EXPIRE, seconds = the same as a number,
-- score = its registry score, RQ's now + ttl in whole seconds }. A negative ttl (RQ's -1) keeps it forever.
-- The defaults come from the client as text, made into a retention once per call: a Lua number given to
-- redis.call is formatted with printf and parsed again by Redis, and turning text into a number (strtod) cost
-- ~4% of the Complete script when done per job.
local function retention_of(ttl_text, score_text)
  return { ttl = ttl_text, seconds = tonumber(ttl_text), score = score_text }
end

-- A job's retention: its own TTL field when set and valid (-1 keeps forever), else the caller's defaults (shared,
-- not copied). The worker refuses to run a job with an invalid TTL field; this guards a field changed mid-run.
local function retention(value, defaults, now)
  local seconds = whole(value, -1, MAX_SECONDS)
  if seconds == nil then return defaults end
  return { ttl = seconds, seconds = seconds, score = math.floor(now) + seconds }
end

-- Lets `key` expire as `kept` says, or keeps it forever.
local function expire_in(key, kept)
  if kept.seconds < 0 then redis.call('PERSIST', key) else redis.call('EXPIRE', key, kept.ttl) end
end

-- Files a job (hash at `key`) in a registry for its retention `kept` and lets the job and its dependency edges
-- expire with it (only the edge sets that can exist are touched); kept forever, RQ scores it +inf.
-- With `batch` (registry -> {score, id, ...}) the registry entry is collected for one ZADD per registry
-- (flush_registries) instead of being added at once.
local function keep_for(id, key, registry, kept, has_dependents, has_dependencies, batch)
  local score = kept.seconds < 0 and '+inf' or kept.score
  expire_in(key, kept)
  if has_dependents then expire_in(dependents_key(id), kept) end
  if has_dependencies then expire_in(dependencies_key(id), kept) end
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

-- Stores an outcome where RQ 1.13 reads it: a results stream entry on servers with streams
-- (the caller passes the value already base64-encoded), else a field of the job hash.
local function store_result(id, streams, stream_field, stream_value, hash_field, hash_value, result_type, kept)
  if streams then
    local key = results_key(id)
    redis.call('XADD', key, 'MAXLEN', '~', 10, '*', 'type', result_type, stream_field, stream_value)
    expire_in(key, kept)
  end
  if hash_value ~= '' then
    redis.call('HSET', job_key(id), hash_field, hash_value)
  end
end

-- The fields an ending job needs, or nil when `worker` no longer owns the started job (hash at `key`): a job
-- another worker rescued (its lease expired) belongs to that worker now, and this one must not move it.
-- The second value says why not: 'e' when this worker already ended it (an earlier call whose reply was lost
-- did it: the job's status moved on and it still names this worker), 'n' when it is not this worker's.
local function owned(key, worker, ...)
  local f = hmget(key, 'status', 'worker_name', ...)
  if not f then return nil, 'n' end
  if f[1] == 'started' and f[2] == worker then return f end
  if f[2] == worker and f[1] then return nil, 'e' end
  return nil, 'n'
end
