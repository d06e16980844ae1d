-- EnqueueJob: a new job -> queued, deferred (a dependency has not finished) or scheduled.
-- Requires: Common
-- Defines enqueue_job for Enqueue and EnqueueCron.
-- A dependency that no longer exists counts as met, as in RQ (its result has expired).
local function dependency_met(status, allow_failures)
  return (not status) or status == 'finished' or (allow_failures and status == 'failed')
end

-- Queues already added to prefix..'queues' during this call.
local announced = {}

local function announce(queue)
  if not announced[queue] then
    redis.call('SADD', queues_key(), queue_key(queue))
    announced[queue] = true
  end
end

-- Appends `id` to the end of `queue`: at once, or, with `pushes` (queue -> ids), collected for one RPUSH per
-- queue at the end of the call (flush_pushes), which keeps the order of the calls.
local function push_back(queue, id, pushes)
  if not pushes then
    redis.call('RPUSH', queue_key(queue), id)
    return
  end
  local ids = list_for(pushes, queue)
  ids[#ids + 1] = id
end

local function flush_pushes(pushes)
  for queue, ids in pairs(pushes) do call_batched('RPUSH', queue_key(queue), ids) end
end

-- A run of n plain jobs (NewJob.IsPlain) from ARGV[i] on, each as id, data and description: RQ's default timeout
-- (180 s, which RQ's worker needs to find in the hash), straight to the end of `queue`. Returns the next index.
-- The loop is the whole cost of a bulk enqueue in Redis besides the HSETs themselves: nothing per job but
-- the key and the call.
local function enqueue_plain_run(i, n, queue, now_iso, pushes)
  announce(queue)
  local ids = list_for(pushes, queue)
  local count = #ids
  local job_prefix = job_key('')
  for _ = 1, n do
    local id = ARGV[i]
    redis.call('HSET', job_prefix .. id, 'data', ARGV[i + 1], 'origin', queue, 'description', ARGV[i + 2],
               'timeout', '180', 'enqueued_at', now_iso, 'status', 'queued')
    count = count + 1
    ids[count] = id
    i = i + 3
  end
  return i
end

-- spec: { id, queue, at_front (bool), scheduled_at (score or nil), ttl (seconds or nil), allow_failures (bool),
--         replace (bool: the caller chose the id, so an older job may hold it), created_at (ISO-8601), deps = {ids},
--         fields = {name, value, ...} }
-- The job's whole hash is written with one HSET; a fresh id needs nothing else but the push.
-- created_at is written only when the job does not go straight to its queue: for a queued job it equals
-- enqueued_at, and readers (ours, and RQ's, which reads a missing field as None) take enqueued_at instead.
local function enqueue_job(spec, now_iso, now, pushes)
  local id, queue = spec.id, spec.queue
  local key = job_key(id)
  -- A re-used job id starts clean: no stale result or exc_info from an earlier run.
  if spec.replace then redis.call('DEL', key) end
  announce(queue)

  local waiting = false
  for _, dep in ipairs(spec.deps) do
    redis.call('SADD', dependents_key(dep), id)
    redis.call('SADD', dependencies_key(id), dep)
    if not dependency_met(hget(job_key(dep), 'status'), spec.allow_failures) then
      waiting = true
    end
  end

  local fields = spec.fields
  local status
  if waiting then
    status = 'deferred'
    redis.call('ZADD', registry_key('deferred', queue), now, id)
  elseif spec.scheduled_at then
    status = 'scheduled'
    redis.call('ZADD', registry_key('scheduled', queue), spec.scheduled_at, id)
    redis.call('PUBLISH', scheduler_wakeup_channel(), spec.scheduled_at)
  else
    status = 'queued'
    fields[#fields + 1] = 'enqueued_at'
    fields[#fields + 1] = now_iso
  end
  if status ~= 'queued' then
    fields[#fields + 1] = 'created_at'
    fields[#fields + 1] = spec.created_at
  end
  fields[#fields + 1] = 'status'
  fields[#fields + 1] = status
  redis.call('HSET', key, unpack(fields))
  if spec.ttl then redis.call('EXPIRE', key, spec.ttl) end
  if status == 'queued' then
    if spec.at_front then redis.call('LPUSH', queue_key(queue), id) else push_back(queue, id, pushes) end
  end
  return status
end

-- Reads one job spec from ARGV starting at index i; returns the spec and the next index.
-- Layout: id, queue, flags, scheduled_at ('' = now), ttl ('' = none), created_at, dependency count n, n ids,
--         field count m, m name/value pairs. flags: 1 at front, 2 allow dependency failures, 4 replace.
local function read_job_spec(i)
  local flags = tonumber(ARGV[i + 2])
  local spec = { id = ARGV[i], queue = ARGV[i + 1], at_front = flags % 2 == 1,
                 allow_failures = math.floor(flags / 2) % 2 == 1, replace = math.floor(flags / 4) % 2 == 1,
                 scheduled_at = tonumber(ARGV[i + 3]), ttl = tonumber(ARGV[i + 4]), created_at = ARGV[i + 5],
                 deps = {}, fields = {} }
  local n = tonumber(ARGV[i + 6])
  i = i + 7
  for k = 1, n do spec.deps[k] = ARGV[i + k - 1] end
  i = i + n
  local m = tonumber(ARGV[i])
  i = i + 1
  for k = 1, 2 * m do spec.fields[k] = ARGV[i + k - 1] end
  return spec, i + 2 * m
end
