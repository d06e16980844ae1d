-- SearchJobs: one bounded step of a search through the job hashes (reads only).
-- Requires: Common
-- ARGV: prefix, scan cursor ('0' to start), keys to look at in this step (SCAN's COUNT), the text to find (ASCII
--       lowercase).
-- Returns { next cursor ('0' when the whole keyspace has been seen), keys looked at, matching job ids... }.
-- A job matches when the text is in its id, its description (RQ's call string: task(args, kwargs) unless the
-- producer chose one) or its data when stored as plain JSON (up to 512 bytes; larger data is zlib, which Lua
-- cannot read). The caller repeats steps within a time budget: each step blocks the server only for COUNT keys.
local cursor, count, needle = ARGV[2], ARGV[3], ARGV[4]
local reply = redis.call('SCAN', cursor, 'MATCH', job_key('*'), 'COUNT', count)
local found = { reply[1], #reply[2] }
local skip = #job_key('') + 1
local find, lower, sub = string.find, string.lower, string.sub
for _, key in ipairs(reply[2]) do
  -- The dependents and dependencies sets match the pattern too; HMGET on them is an error, skipped.
  local f = redis.pcall('HMGET', key, 'description', 'data')
  if type(f) == 'table' and not f.err then
    local id = sub(key, skip)
    if find(lower(id), needle, 1, true)
       or (f[1] and find(lower(f[1]), needle, 1, true))
       or (f[2] and sub(f[2], 1, 1) == '[' and find(lower(f[2]), needle, 1, true)) then
      found[#found + 1] = id
    end
  end
end
return found
