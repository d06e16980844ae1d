-- Finish: started -> finished, for a batch of jobs, then releases the dependents they were holding back.
-- Requires: Common, EnqueueJob, EnqueueDependents
-- Two steps, so that the commands shared by a batch run once per batch: claim_finished checks, job by
-- job, that this worker still owns it (another worker may have rescued it after its lease expired);
-- finish_batch then moves the claimed jobs together (one ZREM from the started registry, one EXISTS over
-- their dependents sets, one ZADD into the finished registry).
-- result_ttl: seconds to keep the job and its result; -1 forever; 0 deletes the job at once (RQ's rule).
-- A job without its own result_ttl gets the retention `defaults` (see retention_of).
-- The result arrives encoded for where it goes: base64 JSON for a results stream, plain JSON for the
-- job hash; empty when the task returned nothing (then nothing is stored: RQ reads that as None).

-- The job to finish, or nil when it is no longer started by this worker.
local function claim_finished(worker, id, result, defaults, now)
  local key = job_key(id)
  local f = owned(key, worker, 'result_ttl', 'dependency_ids')
  if not f then return nil end
  return { id = id, key = key, result = result, kept = retention(f[3], defaults, now), has_dependencies = f[4] }
end

-- groups: per queue, { queue = its name, jobs = the jobs claim_finished returned }.
local function finish_batch(groups, streams, now_iso)
  -- Every status first: a job waiting on two parents that finish in this batch must see both finished
  -- when the first parent's dependents are released.
  local dependents = {}
  for _, group in ipairs(groups) do
    local ids = {}
    for _, job in ipairs(group.jobs) do
      if job.result ~= '' and not streams then
        redis.call('HSET', job.key, 'status', 'finished', 'ended_at', now_iso, 'result', job.result)
      else
        redis.call('HSET', job.key, 'status', 'finished', 'ended_at', now_iso)
      end
      ids[#ids + 1] = job.id
      dependents[#dependents + 1] = dependents_key(job.id)
    end
    if #ids > 0 then call_batched('ZREM', registry_key('wip', group.queue), ids) end
  end
  if #dependents == 0 then return end
  -- Dependents are rare: one EXISTS over the batch's dependents sets spares a lookup per job.
  local any_dependents = redis.call('EXISTS', unpack(dependents)) > 0
  local registries = {}
  for _, group in ipairs(groups) do
    local registry = registry_key('finished', group.queue)
    for _, job in ipairs(group.jobs) do
      local has_dependents = any_dependents and enqueue_dependents(job.id, 'finished', now_iso)
      if job.kept.seconds == 0 then
        redis.call('DEL', job.key, dependents_key(job.id), dependencies_key(job.id), results_key(job.id))
      else
        if job.result ~= '' and streams then
          store_result(job.id, streams, 'return_value', job.result, 'result', '', 1, job.kept)
        end
        keep_for(job.id, job.key, registry, job.kept, has_dependents, job.has_dependencies, registries)
      end
    end
  end
  flush_registries(registries)
end
