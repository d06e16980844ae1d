-- Finish: started -> finished, then releases the dependents it was holding back.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- result_ttl: seconds to keep the job and its result; -1 forever; 0 deletes the job at once (RQ's rule).
-- The result arrives encoded for where it goes: base64 JSON for a results stream, plain JSON for the
-- job hash; empty when the task returned nothing (then nothing is stored: RQ reads that as None).
-- Returns 1, or 0 when the job is no longer started by this worker (another worker rescued it).
local function finish(worker, id, queue, result, default_result_ttl, streams, now_iso, now)
  if not owns(id, worker) then return 0 end
  local key = job_key(id)
  redis.call('ZREM', registry_key('wip', queue), id)
  redis.call('HSET', key, 'status', 'finished', 'ended_at', now_iso)
  enqueue_dependents(id, 'finished', now_iso)
  local ttl = ttl_field(id, 'result_ttl', default_result_ttl)
  if ttl == 0 then
    redis.call('DEL', key, dependents_key(id), dependencies_key(id), results_key(id))
    return 1
  end
  if result ~= '' then
    store_result(id, streams, 'return_value', result, 'result', streams and '' or result, 1, ttl)
  end
  keep_for(id, registry_key('finished', queue), ttl, now)
  return 1
end
