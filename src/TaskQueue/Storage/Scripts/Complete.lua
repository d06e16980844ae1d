-- Complete: the worker's hot path. Ends a batch of jobs (Finish / Fail) and starts the next ones
-- (Dequeue), all in one atomic step and one round trip.
-- Requires: Common, EnqueueJob, EnqueueDependents, Finish, Fail, Dequeue
-- ARGV: prefix, worker, now (ISO-8601), now (epoch s), lease until (epoch s), streams (0/1),
--       default result ttl (s), default failure ttl (s), fetch count, queue count q, q queue names,
--       outcome count n, then per outcome:
--         'f', id, queue, result (see Finish)                                         (finished)
--         'x', id, queue, final status, may retry (0/1), exc for hash, exc for stream  (failed; see Fail)
-- Returns { suspended (0/1), dropped id count, { per outcome: 1 / 0 / new status }, { started job rows } }.
-- While `prefix..'suspended'` exists nothing is fetched; outcomes are still recorded.
local worker, now_iso, now, lease_until = ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local streams = ARGV[6] == '1'
local default_result_ttl, default_failure_ttl = tonumber(ARGV[7]), tonumber(ARGV[8])
local fetch = tonumber(ARGV[9])
local q = tonumber(ARGV[10])
local queues = {}
for k = 1, q do queues[k] = ARGV[10 + k] end
local i = 11 + q
local n = tonumber(ARGV[i])
i = i + 1

local results = {}
for k = 1, n do
  local kind = ARGV[i]
  if kind == 'f' then
    results[k] = finish(worker, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], default_result_ttl, streams, now_iso, now)
    i = i + 4
  else
    results[k] = fail(worker, ARGV[i + 1], ARGV[i + 2], ARGV[i + 5], ARGV[i + 6], ARGV[i + 3], ARGV[i + 4] == '1',
                      default_failure_ttl, streams, now_iso, now)
    i = i + 7
  end
end

local suspended = redis.call('EXISTS', suspended_key())
local started = {}
local dropped = 0
if suspended == 0 and fetch > 0 then
  dropped = dequeue(worker, queues, fetch, lease_until, now_iso, started)
end
return { suspended, dropped, results, started }
