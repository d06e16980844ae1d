-- Fail: started -> failed (or stopped), or back to queued / scheduled while retries are left.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- Retry follows RQ: retries_left counts down; the interval is retry_intervals[#intervals - left]
-- (0-based, floored at 0), so a short list repeats its first value. An interval of 0 re-queues at once;
-- a positive one files the job in the scheduled registry and wakes the scheduler.
-- exc_hash is the exception text zlib-compressed (RQ's job-hash encoding); exc_stream is the same bytes
-- base64-encoded for the results stream.
-- A job without its own failure_ttl gets the retention `defaults` (see retention_of).
-- Returns the job's new status, or 'e' / 'n' when the job is no longer started by this worker (see owned).
local function fail(worker, id, queue, exc_hash, exc_stream, final_status, may_retry, defaults,
                    streams, now_iso, now)
  local key = job_key(id)
  local f, why = owned(key, worker, 'retries_left', 'retry_intervals', 'enqueue_at_front', 'failure_ttl', 'dependency_ids')
  if not f then return why end

  -- Read and checked before the first write (see Common). A retry setting that does not parse means no retry:
  -- the worker refuses to start a job whose retry fields are invalid, so this guards a field changed mid-run.
  local retry_in = nil
  if may_retry then
    local left = whole(f[3], 0, MAX_RETRIES)
    if left and left > 0 then
      retry_in = 0
      if f[4] and f[4] ~= '' then
        local ok, intervals = pcall(cjson.decode, f[4])
        if not ok or type(intervals) ~= 'table' then
          retry_in = nil
        elseif #intervals > 0 then
          retry_in = whole(intervals[math.min(math.max(#intervals - left, 0), #intervals - 1) + 1], 0, MAX_SECONDS)
        end
      end
      if retry_in then
        redis.call('ZREM', registry_key('wip', queue), id)
        redis.call('HSET', key, 'ended_at', now_iso, 'exc_info', exc_hash, 'retries_left', left - 1)
        if retry_in > 0 then
          local due = now + retry_in
          redis.call('HSET', key, 'status', 'scheduled')
          redis.call('ZADD', registry_key('scheduled', queue), due, id)
          redis.call('PUBLISH', scheduler_wakeup_channel(), due)
          return 'scheduled'
        end
        push_queued(id, queue, f[5] == '1', now_iso)
        return 'queued'
      end
    end
  end

  redis.call('ZREM', registry_key('wip', queue), id)
  redis.call('HSET', key, 'ended_at', now_iso, 'exc_info', exc_hash, 'status', final_status)
  local kept = retention(f[6], defaults, now)
  -- RQ leaves failure results without an expiry unless failure_ttl is set; here they expire with the job.
  store_result(id, streams, 'exc_string', exc_stream, 'exc_info', '', 2, kept)
  local has_dependents = false
  if final_status == 'failed' then
    has_dependents = enqueue_dependents(id, 'failed', now_iso)
  else
    has_dependents = redis.call('EXISTS', dependents_key(id)) == 1
  end
  keep_for(id, key, registry_key('failed', queue), kept, has_dependents, f[7])
  return final_status
end
