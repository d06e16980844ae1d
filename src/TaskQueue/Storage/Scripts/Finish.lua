-- Finish: started -> finished, then releases the dependents it was holding back.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- result_ttl: seconds to keep the job and its result; -1 forever; 0 deletes the job at once (RQ's rule).
-- The result arrives encoded for where it goes: base64 JSON for a results stream, plain JSON for the
-- job hash; empty when the task returned nothing (then nothing is stored: RQ reads that as None).
-- Returns 1, or 0 when the job is no longer started by this worker (another worker rescued it).
local function finish(worker, id, queue, result, default_result_ttl, streams, now_iso, now)
  local f = owned(id, worker, 'result_ttl', 'dependency_ids')
  if not f then return 0 end
  local key = job_key(id)
  redis.call('ZREM', registry_key('wip', queue), id)
  local has_dependents = enqueue_dependents(id, 'finished', now_iso)
  local ttl = ttl_or(f[3], default_result_ttl)
  if ttl == 0 then
    redis.call('DEL', key, dependents_key(id), dependencies_key(id), results_key(id))
    return 1
  end
  if result ~= '' and not streams then
    redis.call('HSET', key, 'status', 'finished', 'ended_at', now_iso, 'result', result)
  else
    redis.call('HSET', key, 'status', 'finished', 'ended_at', now_iso)
    if result ~= '' then store_result(id, streams, 'return_value', result, 'result', '', 1, ttl) end
  end
  keep_for(id, registry_key('finished', queue), ttl, now, has_dependents, f[4])
  return 1
end
