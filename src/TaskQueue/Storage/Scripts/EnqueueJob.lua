-- EnqueueJob: a new job -> queued, deferred (a dependency has not finished) or scheduled.
-- Requires: Common
-- Defines enqueue_job for Enqueue and EnqueueCron.
-- A dependency that no longer exists counts as met, as in RQ (its result has expired).
local function dependency_met(status, allow_failures)
  return (not status) or status == 'finished' or (allow_failures and status == 'failed')
end

-- spec: { id, queue, at_front (bool), scheduled_at (score or nil), ttl (seconds or nil),
--         allow_failures (bool), deps = {ids}, fields = {name, value, ...} }
local function enqueue_job(spec, now_iso, now)
  local id, queue = spec.id, spec.queue
  local key = job_key(id)
  -- A re-used job id starts clean: no stale result or exc_info from an earlier run.
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(spec.fields))
  redis.call('SADD', queues_key(), queue_key(queue))
  if spec.ttl then redis.call('EXPIRE', key, spec.ttl) end

  local waiting = false
  for _, dep in ipairs(spec.deps) do
    redis.call('SADD', dependents_key(dep), id)
    redis.call('SADD', dependencies_key(id), dep)
    if not dependency_met(redis.call('HGET', job_key(dep), 'status'), spec.allow_failures) then
      waiting = true
    end
  end

  if waiting then
    redis.call('HSET', key, 'status', 'deferred')
    redis.call('ZADD', registry_key('deferred', queue), now, id)
    return 'deferred'
  end
  if spec.scheduled_at then
    redis.call('HSET', key, 'status', 'scheduled')
    redis.call('ZADD', registry_key('scheduled', queue), spec.scheduled_at, id)
    redis.call('PUBLISH', scheduler_wakeup_channel(), spec.scheduled_at)
    return 'scheduled'
  end
  push_queued(id, queue, spec.at_front, now_iso)
  return 'queued'
end

-- Reads one job spec from ARGV starting at index i; returns the spec and the next index.
-- Layout: id, queue, at_front (0/1), scheduled_at ('' = now), ttl ('' = none), allow_failures (0/1),
--         dependency count n, n ids, field count m, m name/value pairs.
local function read_job_spec(i)
  local spec = { id = ARGV[i], queue = ARGV[i + 1], at_front = ARGV[i + 2] == '1',
                 scheduled_at = tonumber(ARGV[i + 3]), ttl = tonumber(ARGV[i + 4]),
                 allow_failures = ARGV[i + 5] == '1', deps = {}, fields = {} }
  local n = tonumber(ARGV[i + 6])
  i = i + 7
  for k = 1, n do spec.deps[k] = ARGV[i + k - 1] end
  i = i + n
  local m = tonumber(ARGV[i])
  i = i + 1
  for k = 1, 2 * m do spec.fields[k] = ARGV[i + k - 1] end
  return spec, i + 2 * m
end
