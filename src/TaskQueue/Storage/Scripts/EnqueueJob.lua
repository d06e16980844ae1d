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
-- the key and the call. `trace` (nil, or the traceparent and tracestate field/value pairs) is the trace context
-- every job of the run carries: one per run rather than per job, since one producer span sent them all.
local function enqueue_plain_run(i, n, queue, now_iso, pushes, trace)
  announce(queue)
  local ids = list_for(pushes, queue)
  local count = #ids
  local job_prefix = job_key('')
  for _ = 1, n do
    local id = ARGV[i]
    if trace then
      redis.call('HSET', job_prefix .. id, 'data', ARGV[i + 1], 'origin', queue, 'description', ARGV[i + 2],
                 'timeout', '180', 'enqueued_at', now_iso, 'status', 'queued', unpack(trace))
    else
      redis.call('HSET', job_prefix .. id, 'data', ARGV[i + 1], 'origin', queue, 'description', ARGV[i + 2],
                 'timeout', '180', 'enqueued_at', now_iso, 'status', 'queued')
    end
    count = count + 1
    ids[count] = id
    i = i + 3
  end
  return i
end

-- The states a chosen job id conflicts in (see OnConflict.cs); a job that has ended is history, taken over clean.
local LIVE = { queued = true, deferred = true, scheduled = true, started = true }

-- The job under `key` as a conflict check sees it: nil when there is none, else { status, origin }. A hash without a
-- status (written by hand) counts as queued, as Dequeue runs it; a key that is not a hash counts as ended (replaced).
local function existing(key)
  local f = redis.pcall('HMGET', key, 'status', 'origin', 'data')
  if f.err then return { status = 'not-a-hash' } end
  if not f[1] and not f[2] and not f[3] then return nil end
  local status = f[1]
  if not status or status == '' then status = 'queued' end
  return { status = status, origin = f[2] or nil }
end

-- Removes what the job `found` under `id` leaves before a new job takes the id, so that it starts clean: its hash, its
-- results stream, its dependency edges, and its entry in its queue or registries. With `keep_place` its queue entry
-- stays, for the new job to take its turn. Its dependents set stays: jobs waiting on the id wait on the new job.
-- The queue entry goes with LREM, which reads the queue: only a replaced job waiting elsewhere pays it.
-- The keys come from what the old hash says (its origin, its dependencies), which anyone may have written: a removal
-- from a key of another type is skipped (pcall) rather than allowed to stop the batch half-way.
local function forget(id, key, found, keep_place)
  local status, origin = found.status, found.origin
  if origin then
    if status == 'queued' then
      if not keep_place then redis.pcall('LREM', queue_key(origin), 0, id) end
    elseif status == 'deferred' or status == 'scheduled' then
      redis.pcall('ZREM', registry_key(status, origin), id)
    else
      redis.pcall('ZREM', registry_key('finished', origin), id)
      redis.pcall('ZREM', registry_key('failed', origin), id)
      redis.pcall('ZREM', registry_key('canceled', origin), id)
    end
  end
  if status == 'deferred' then
    for _, dep in ipairs(smembers(dependencies_key(id))) do redis.pcall('SREM', dependents_key(dep), id) end
  end
  redis.call('DEL', key, results_key(id), dependencies_key(id))
end

-- spec: { id, queue, at_front (bool), scheduled_at (score or nil), ttl (seconds or nil), allow_failures (bool),
--         chosen (bool: the caller chose the id, so another job may hold it), conflict ('replace' | 'reject' |
--         'existing'), created_at (ISO-8601), deps = {ids}, fields = {name, value, ...} }
-- The job's whole hash is written with one HSET; a fresh id needs nothing else but the push.
-- created_at is written only when the job does not go straight to its queue: for a queued job it equals
-- enqueued_at, and readers (ours, and RQ's, which reads a missing field as None) take enqueued_at instead.
-- Returns the job's new status; or, when a live job holds the chosen id and the conflict choice leaves it be (reject,
-- existing, or replace of a started job), that job's status and true, having written nothing.
local function enqueue_job(spec, now_iso, now, pushes)
  local id, queue = spec.id, spec.queue
  local key = job_key(id)
  local found = spec.chosen and existing(key) or nil
  if found and LIVE[found.status] and (spec.conflict ~= 'replace' or found.status == 'started') then
    return found.status, true
  end

  local waiting = false
  for _, dep in ipairs(spec.deps) do
    if not dependency_met(hget(job_key(dep), 'status'), spec.allow_failures) then waiting = true end
  end
  local status = waiting and 'deferred' or (spec.scheduled_at and 'scheduled' or 'queued')
  -- A queued job replaced by one for the same queue, end of line, keeps its turn: no second entry for the id, which
  -- the worker would find not queued any more and drop (issue #15, defect 8).
  -- Only when the entry is there: a job left 'queued' outside its queue (an RQ worker killed between its pop and its
  -- registry write, RQ's issue #580) would stay stranded.
  local keep_place = found and found.status == 'queued' and found.origin == queue and status == 'queued' and not spec.at_front
  if keep_place then
    local at = redis.pcall('LPOS', queue_key(queue), id)
    keep_place = type(at) == 'number'
  end
  if found then forget(id, key, found, keep_place) end
  announce(queue)

  for _, dep in ipairs(spec.deps) do
    redis.call('SADD', dependents_key(dep), id)
    redis.call('SADD', dependencies_key(id), dep)
  end

  local fields = spec.fields
  if status == 'deferred' then
    redis.call('ZADD', registry_key('deferred', queue), now, id)
  elseif status == 'scheduled' then
    redis.call('ZADD', registry_key('scheduled', queue), spec.scheduled_at, id)
    redis.call('PUBLISH', scheduler_wakeup_channel(), spec.scheduled_at)
  else
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
  if status == 'queued' and not keep_place then
    if spec.at_front then redis.call('LPUSH', queue_key(queue), id) else push_back(queue, id, pushes) end
  end
  return status
end

-- Reads one job spec from ARGV starting at index i; returns the spec and the next index.
-- Layout: id, queue, flags, scheduled_at ('' = now), ttl ('' = none), created_at, dependency count n, n ids,
--         field count m, m name/value pairs. flags: 1 at front, 2 allow dependency failures, 4 chosen id, then the
--         conflict choice: 8 reject, 16 return the existing job, neither: replace.
local function read_job_spec(i)
  local flags = tonumber(ARGV[i + 2])
  local conflict = 'replace'
  if math.floor(flags / 8) % 2 == 1 then conflict = 'reject' elseif math.floor(flags / 16) % 2 == 1 then conflict = 'existing' end
  local spec = { id = ARGV[i], queue = ARGV[i + 1], at_front = flags % 2 == 1,
                 allow_failures = math.floor(flags / 2) % 2 == 1, chosen = math.floor(flags / 4) % 2 == 1, conflict = conflict,
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
