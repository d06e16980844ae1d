-- AcquireSchedulerLocks: takes or renews RQ's per-queue scheduler lock, so one scheduler (ours or RQ's)
-- is active per queue. RQ takes it with SET NX EX and renews it blindly; here a renewal checks the owner.
-- Requires: Common
-- ARGV: prefix, owner, ttl (s), queue names...
-- Returns the queue names this owner holds now.
local owner, ttl = ARGV[2], tonumber(ARGV[3])
local held = {}
for k = 4, #ARGV do
  local key = prefix .. 'scheduler-lock:' .. ARGV[k]
  if redis.call('GET', key) == owner then
    redis.call('EXPIRE', key, ttl)
    held[#held + 1] = ARGV[k]
  elseif redis.call('SET', key, owner, 'NX', 'EX', ttl) then
    held[#held + 1] = ARGV[k]
  end
end
return held
