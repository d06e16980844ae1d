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

-- Claims job `id` for `group` when this worker still owns it: appends its id and key, and, only for a job that
-- is not the usual plain one, its result, own retention or dependencies at the same index in group.special (a
-- table per job cost ~4 % of Redis's work per finished job). Returns nil, or why it was not claimed (see owned).
local function claim_finished(group, worker, id, result, defaults, now)
  local key = job_key(id)
  local f, why = owned(key, worker, 'result_ttl', 'dependency_ids')
  if not f then return why end
  local n = #group.ids + 1
  group.ids[n] = id
  group.keys[n] = key
  if result ~= '' or f[3] or f[4] then
    group.special[n] = { result = result, kept = retention(f[3], defaults, now), has_dependencies = f[4] }
  end
  return nil
end

-- groups: per queue, { queue = its name, ids, keys, special = as claim_finished fills them }; `defaults` the
-- retention of a job without its own.
local function finish_batch(groups, streams, now_iso, defaults)
  -- Every status first: a job waiting on two parents that finish in this batch must see both finished
  -- when the first parent's dependents are released.
  local dependents = {}
  for _, group in ipairs(groups) do
    local ids, keys, special = group.ids, group.keys, group.special
    for k = 1, #ids do
      local s = special[k]
      if s and s.result ~= '' and not streams then
        redis.call('HSET', keys[k], 'status', 'finished', 'ended_at', now_iso, 'result', s.result)
      else
        redis.call('HSET', keys[k], 'status', 'finished', 'ended_at', now_iso)
      end
      dependents[#dependents + 1] = dependents_key(ids[k])
    end
    if #ids > 0 then call_batched('ZREM', registry_key('wip', group.queue), ids) end
  end
  if #dependents == 0 then return end
  -- Dependents are rare: one EXISTS over the batch's dependents sets spares a lookup per job.
  local any_dependents = redis.call('EXISTS', unpack(dependents)) > 0
  local registries = {}
  for _, group in ipairs(groups) do
    local registry = registry_key('finished', group.queue)
    local ids, keys, special = group.ids, group.keys, group.special
    for k = 1, #ids do
      local id, key, s = ids[k], keys[k], special[k]
      local kept = s and s.kept or defaults
      local has_dependents = any_dependents and enqueue_dependents(id, 'finished', now_iso)
      if kept.seconds == 0 then
        redis.call('DEL', key, dependents_key(id), dependencies_key(id), results_key(id))
      else
        if s and s.result ~= '' and streams then
          store_result(id, streams, 'return_value', s.result, 'result', '', 1, kept)
        end
        keep_for(id, key, registry, kept, has_dependents, s and s.has_dependencies, registries)
      end
    end
  end
  flush_registries(registries)
end
