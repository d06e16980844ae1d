-- CleanRegistries: drops registry entries whose time is up (their job hashes have expired with them),
-- as RQ's clean_registries does for the finished and failed registries.
-- Requires: Common
-- ARGV: prefix, now (epoch s), queue names...
-- Returns the number of entries removed.
local now = tonumber(ARGV[2])
local removed = 0
for k = 3, #ARGV do
  removed = removed + redis.call('ZREMRANGEBYSCORE', registry_key('finished', ARGV[k]), '-inf', now)
  removed = removed + redis.call('ZREMRANGEBYSCORE', registry_key('failed', ARGV[k]), '-inf', now)
end
return removed
