-- Empty: deletes every job waiting in a queue, and the queue list (RQ's Queue.empty).
-- Requires: Common
-- ARGV: prefix, queue name
-- Returns the number of jobs deleted. Started, scheduled and deferred jobs are left alone.
local qkey = queue_key(ARGV[2])
local count = 0
while true do
  local id = redis.call('LPOP', qkey)
  if not id then break end
  redis.call('DEL', job_key(id), dependents_key(id), dependencies_key(id))
  count = count + 1
end
return count
