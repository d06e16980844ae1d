-- EnqueueDependents: deferred -> queued, for the dependents of a job that just ended.
-- Requires: Common, EnqueueJob (for dependency_met)
-- A dependent is released when every one of its dependencies is met: finished, gone, or failed when
-- the dependent allows failures. A parent that failed (or was stopped) releases only the dependents
-- that allow failures; the others stay deferred, as in RQ.
-- Returns true when the parent had dependents (so its dependents set may still exist).
local function enqueue_dependents(parent_id, parent_status, now_iso)
  local key = dependents_key(parent_id)
  local dependents = smembers(key)
  if #dependents == 0 then return false end
  for _, id in ipairs(dependents) do
    local f = hmget(job_key(id), 'status', 'origin', 'allow_dependency_failures', 'enqueue_at_front') or {}
    local allow = f[3] == '1'
    if f[1] == 'deferred' and f[2] and dependency_met(parent_status, allow) then
      local met = true
      for _, dep in ipairs(smembers(dependencies_key(id))) do
        if dep ~= parent_id and not dependency_met(hget(job_key(dep), 'status'), allow) then
          met = false
          break
        end
      end
      if met then
        redis.call('ZREM', registry_key('deferred', f[2]), id)
        push_queued(id, f[2], f[4] == '1', now_iso)
        redis.call('SREM', key, id)
      end
    elseif not f[1] then
      redis.call('SREM', key, id)
    end
  end
  return true
end
