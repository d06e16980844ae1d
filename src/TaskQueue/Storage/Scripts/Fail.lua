-- Fail: started -> failed (or stopped), or back to queued / scheduled while retries are left.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- Retry follows RQ: retries_left counts down; the interval is retry_intervals[#intervals - left]
-- (0-based, floored at 0), so a short list repeats its first value. An interval of 0 re-queues at once;
-- a positive one files the job in the scheduled registry and wakes the scheduler.
-- exc_hash is the exception text zlib-compressed (RQ's job-hash encoding); exc_stream is the same bytes
-- base64-encoded for the results stream.
-- A job without its own failure_ttl gets the retention `defaults` (see retention_of).
-- Returns the job's new status, or 0 when the job is no longer started by this worker.
local function fail(worker, id, queue, exc_hash, exc_stream, final_status, may_retry, defaults,
                    streams, now_iso, now)
  local key = job_key(id)
  local f = owned(key, worker, 'retries_left', 'retry_intervals', 'enqueue_at_front', 'failure_ttl', 'dependency_ids')
  if not f then return 0 end
  redis.call('ZREM', registry_key('wip', queue), id)
  redis.call('HSET', key, 'ended_at', now_iso, 'exc_info', exc_hash)

  if may_retry then
    local left = tonumber(f[3])
    if left and left > 0 then
      local interval = 0
      if f[4] and f[4] ~= '' then
        local intervals = cjson.decode(f[4])
        if #intervals > 0 then
          interval = tonumber(intervals[math.min(math.max(#intervals - left, 0), #intervals - 1) + 1]) or 0
        end
      end
      redis.call('HSET', key, 'retries_left', left - 1)
      if interval > 0 then
        local due = now + interval
        redis.call('HSET', key, 'status', 'scheduled')
        redis.call('ZADD', registry_key('scheduled', queue), due, id)
        redis.call('PUBLISH', scheduler_wakeup_channel(), due)
        return 'scheduled'
      end
      push_queued(id, queue, f[5] == '1', now_iso)
      return 'queued'
    end
  end

  redis.call('HSET', key, 'status', final_status)
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
