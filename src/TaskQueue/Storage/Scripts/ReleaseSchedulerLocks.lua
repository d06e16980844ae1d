-- ReleaseSchedulerLocks: gives up the scheduler locks this owner holds, so another scheduler takes over
-- at once instead of waiting for them to expire.
-- Requires: Common
-- ARGV: prefix, owner, queue names...
local owner = ARGV[2]
local released = 0
for k = 3, #ARGV do
  local key = prefix .. 'scheduler-lock:' .. ARGV[k]
  if redis.call('GET', key) == owner then
    redis.call('DEL', key)
    released = released + 1
  end
end
return released
