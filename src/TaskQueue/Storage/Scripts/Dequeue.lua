-- Dequeue: queued -> started, for up to `count` jobs, taking the queues in strict priority order.
-- Requires: Common
-- The pop and the entry in the started ('wip') registry happen in one step, so a worker killed at any
-- point leaves the job either in its queue or in the registry, where its lease expires and a sweep
-- re-queues it (RequeueAbandoned). RQ 1.x pops first and registers later; its issue #580 is that gap.
-- What cannot start is skipped, never allowed to abort the call (which would leave the jobs popped before it
-- started but unregistered): an id whose hash is gone (its ttl expired while queued, or it was deleted, as RQ
-- drops it), whose job is no longer queued, or whose key is not a hash; and a job that can never run (no data,
-- data over the size limit) is failed here with the reason, as RQ's readers read it.
-- What the worker needs to run a job besides its data, by slot; StartedJob.cs reads them in this order.
-- A job hash holds only the fields it needs (see NewJob.Build), so one HGETALL of its 6-12 fields is
-- cheaper than an HMGET of all that may be there, most of them missing. 'repeats_left' is RQ 2.x's Repeat,
-- which the worker refuses rather than run once. Not returned, though every job has them: 'description'
-- (the worker's log line derives it from the call) and a 'timeout' of RQ's default, 180 s, which is what the
-- worker applies to a job without one. So the usual job has no extras at all.
-- One lookup per field read: the extras by slot, and the fields Dequeue acts on itself by name.
-- 'enqueued_at' goes in the last slot only when the worker asks (queue-wait metrics), so that a job's most common
-- field is not a hit in the table for nothing. A job that starts with an exc_info is a retry (or a requeued job): the
-- failed attempt's text goes, so a run that succeeds leaves none (issue #15, defect 7); found in the HGETALL it
-- already reads, so the usual job pays nothing for it.
local FIELDS = { timeout = 1, meta = 2, success_callback_name = 3, failure_callback_name = 4,
                 stopped_callback_name = 5, abandoned_count = 6, result_ttl = 7, repeats_left = 8,
                 retries_left = 9, retry_intervals = 10, failure_ttl = 11, traceparent = 12, tracestate = 13,
                 data = 'data', status = 'status', ttl = 'ttl', exc_info = 'exc_info' }
local EXTRA_SLOTS = 14

-- The largest a limit may say (jobs per interval, jobs at once), and the longest interval (ms: one day); QueueLimits.cs
-- holds the same numbers. A field beyond them is ignored, as a limit nobody set.
local MAX_LIMIT = 1000000
local MAX_PER_MS = 86400000
-- The shortest retry hint (ms): a rate limit frees its slots start by start, and a hint per freed slot would have a
-- worker call once per start.
local MIN_RETRY_MS = 10

-- How many of `wanted` jobs `queue`'s limits (the hash at limits_key) let start at `now` (epoch s), and, when that is
-- fewer, when to try again: ms, or -1 when it waits for one of the queue's running jobs to end (no time known). Also the
-- rate log to record the starts in, when the queue has a rate limit. A queue without limits costs one HMGET a call.
-- Concurrency counts the queue's started registry: every job running anywhere (RQ's workers file theirs there too),
-- each until its outcome is recorded or, for a dead worker's, until the sweep re-queues it after its lease.
-- Rate counts the starts logged in the last `per` ms, by the time each call was made: a sliding window, so no span of
-- `per` ms holds more than `rate` starts by our workers (RQ's workers do not log theirs).
local function allowance(queue, wanted, now)
  local l = hmget(limits_key(queue), 'rate', 'per', 'concurrency')
  if not l or (not l[1] and not l[3]) then return wanted, nil, nil end
  local allowed, retry, log = wanted, nil, nil
  local most = whole(l[3], 1, MAX_LIMIT)
  if most then
    local running = redis.pcall('ZCARD', registry_key('wip', queue))
    if type(running) ~= 'number' then running = 0 end
    if running + allowed > most then
      allowed = math.max(0, most - running)
      retry = -1
    end
  end
  local n, per = whole(l[1], 1, MAX_LIMIT), whole(l[2], 1, MAX_PER_MS)
  if n and per then
    log = rate_key(queue)
    local window = per / 1000
    -- Inclusive, to the microsecond (Lua's own number text keeps 14 digits, a tenth of a millisecond here): a start at
    -- the window's very edge counts, so the limit errs strict.
    local since = string.format('%.6f', now - window)
    -- Starts are kept two windows, not one: a call made a moment before another can reach Redis after it, and must
    -- still count the starts that one logged at its later time.
    local used = redis.pcall('ZCOUNT', log, since, '+inf')
    if type(used) ~= 'number' then
      redis.call('DEL', log)
      used = 0
    end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', now - 2 * window)
    if used + allowed > n then
      allowed = math.max(0, n - used)
      local oldest = redis.call('ZRANGEBYSCORE', log, since, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      local at = tonumber(oldest[2]) or now
      retry = math.max(MIN_RETRY_MS, math.ceil((at + window - now) * 1000))
    end
  end
  return allowed, retry, log and per
end

-- Fails a job that can never run, at once, with `reason` as its exc_info (plain text: RQ's reader falls back to
-- the raw bytes when they are not zlib), kept for the default failure TTL in the failed registry.
local function fail_unrunnable(id, key, queue, reason, failed_defaults, now_iso)
  redis.call('HSET', key, 'status', 'failed', 'ended_at', now_iso, 'exc_info', reason)
  keep_for(id, key, registry_key('failed', queue), failed_defaults, false, false)
end

-- Appends the started jobs to `out`, per queue that gave any: the queue, the job count n, then per job its id
-- and its data, then the count of jobs with extra fields and per such job its row (1..n) and a list of its
-- EXTRA_SLOTS slots (false where absent). The usual job has none, so it costs the reply two values: every value
-- in the reply costs Redis a conversion and the client a parse.
-- Appends what was skipped or failed instead to `skipped` as id, reason pairs (reason: 'gone', 'not-queued',
-- 'wrong-type', 'failed:<why>'), and a queue key that is not a list as '', 'queue-wrong-type:<queue>'.
-- lease_until is RQ's integer score (epoch s) as the client sent it: no number formatting per job.
-- limits: { max_data = bytes, failed_defaults = retention, with_enqueued_at = bool, now = epoch s, now_text = the same as
-- the client sent it }.
-- Appends the names of the queues it skipped because they are paused to `paused`, and the queues whose limits held
-- back jobs that were there to take to `throttled`, as queue, retry hint pairs (see allowance).
local function dequeue(worker, queues, count, lease_until, now_iso, limits, out, skipped, paused, throttled)
  local taken = 0
  local max_data = limits.max_data
  if limits.with_enqueued_at then FIELDS.enqueued_at = EXTRA_SLOTS end
  for _, queue in ipairs(queues) do
    local qkey = queue_key(queue)
    if redis.call('EXISTS', paused_key(queue)) == 1 then
      paused[#paused + 1] = queue
      qkey = nil
    end
    local room, retry, per = count - taken, nil, nil
    if qkey then
      room, retry, per = allowance(queue, room, limits.now)
      if room <= 0 then qkey = nil end
    end
    local stop, drained = taken + room, false
    -- score, id pairs: the started registry gets one ZADD per queue, not one per job.
    local leases = {}
    -- This queue's group in `out`: its name, then its job count (set below), then its rows, then the jobs with
    -- extra fields as row, extras pairs (collected in `special` meanwhile).
    local head = #out
    out[head + 1] = queue
    out[head + 2] = 0
    local rows = 0
    local special = {}
    -- Ids popped here that cannot start are dropped, so popping more than the free slots could drop work
    -- another worker would have done: pop exactly what is missing, again while some were dropped.
    while qkey and taken < stop do
      local ids = redis.pcall('LPOP', qkey, stop - taken)
      if not ids then
        drained = true
        break
      end
      if type(ids) == 'table' and ids.err then
        skipped[#skipped + 1] = ''
        skipped[#skipped + 1] = 'queue-wrong-type:' .. queue
        break
      end
      -- Garnet 2.2.8 answers LPOP key 1 with a bare string where Redis gives a one-element list.
      if type(ids) ~= 'table' then ids = { ids } end
      for _, id in ipairs(ids) do
        local key = job_key(id)
        local h = redis.pcall('HGETALL', key)
        local data, extras, status, has_ttl, had_exc, why = false, false, nil, false, false, nil
        if h.err then
          why = 'wrong-type'
        else
          for j = 1, #h, 2 do
            local field = FIELDS[h[j]]
            if field then
              local value = h[j + 1]
              if field == 'data' then
                data = value
              elseif field == 'status' then
                status = value
              elseif field == 'ttl' then
                has_ttl = true
              elseif field == 'exc_info' then
                had_exc = true
              elseif not (field == 1 and value == '180') then
                if not extras then extras = {} for s = 1, EXTRA_SLOTS do extras[s] = false end end
                extras[field] = value
              end
            end
          end
          if #h == 0 then
            why = 'gone'
          elseif status and status ~= 'queued' and status ~= '' then
            -- Not queued any more (canceled, a duplicate id already started or ended): a queue entry is only
            -- valid while the job's hash says 'queued' (or, for a hand-written job, says nothing).
            why = 'not-queued'
          elseif not data then
            why = 'failed:the job has no data field'
          elseif #data > max_data then
            why = 'failed:its data is ' .. #data .. ' bytes, over the limit of ' .. max_data
          end
        end
        if why then
          if why:sub(1, 7) == 'failed:' then
            fail_unrunnable(id, key, queue, 'JobDataError: ' .. why:sub(8) .. '; the job was not run.',
                            limits.failed_defaults, now_iso)
          end
          skipped[#skipped + 1] = id
          skipped[#skipped + 1] = why
        else
          leases[#leases + 1] = lease_until
          leases[#leases + 1] = id
          -- last_heartbeat stays unset until the first heartbeat: RQ reads a missing field as None, and the
          -- lease score, not this field, is what the sweep goes by.
          redis.call('HSET', key, 'status', 'started', 'started_at', now_iso, 'worker_name', worker)
          -- A job's ttl bounds its wait in the queue only; once started it must outlive its run.
          if has_ttl then redis.call('PERSIST', key) end
          if had_exc then redis.call('HDEL', key, 'exc_info') end
          out[head + 3 + rows * 2] = id
          out[head + 4 + rows * 2] = data
          rows = rows + 1
          if extras then
            special[#special + 1] = rows
            special[#special + 1] = extras
          end
          taken = taken + 1
        end
      end
    end
    -- Held back only when there were jobs to hold back: a queue at its limit with nothing in it is idle, and a burst
    -- worker must be free to exit (one LLEN, on the held-back path only).
    if retry and not drained and room <= 0 then
      local waiting = redis.pcall('LLEN', queue_key(queue))
      if type(waiting) ~= 'number' or waiting == 0 then retry = nil end
    end
    if retry and not drained then
      throttled[#throttled + 1] = queue
      throttled[#throttled + 1] = retry
    end
    if rows > 0 then
      call_batched('ZADD', registry_key('wip', queue), leases)
      if per then
        -- The starts, scored by this call's time; a member per start (id@time), so a job started twice counts twice.
        local starts = {}
        for k = 2, #leases, 2 do
          starts[#starts + 1] = limits.now_text
          starts[#starts + 1] = leases[k] .. '@' .. limits.now_text
        end
        local log = rate_key(queue)
        call_batched('ZADD', log, starts)
        redis.call('PEXPIRE', log, 2 * per)
      end
      out[head + 2] = rows
      local at = head + 3 + rows * 2
      out[at] = #special / 2
      for k = 1, #special do out[at + k] = special[k] end
    else
      out[head + 1], out[head + 2] = nil, nil
    end
  end
end
