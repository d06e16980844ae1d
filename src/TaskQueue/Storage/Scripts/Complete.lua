-- Complete: the worker's hot path. Ends a batch of jobs (Finish / Fail) and starts the next ones
-- (Dequeue), all in one atomic step and one round trip.
-- Requires: Common, EnqueueJob, EnqueueDependents, Finish, Fail, Dequeue
-- ARGV: prefix, worker, now (ISO-8601), now (epoch s), lease until (epoch s, integer), streams (0/1),
--       default result ttl (s), its finished-registry score, default failure ttl (s), its failed-registry score,
--       fetch count, queue count q, q queue names, outcome count n, then per outcome:
--         'f', id, queue, result (see Finish)                                         (finished)
--         'x', id, queue, final status, may retry (0/1), exc for hash, exc for stream  (failed; see Fail)
-- Returns { suspended (0/1), dropped id count, { per outcome: 1 / 0 / new status }, started job rows (flat, see
-- Dequeue) }.
-- While `prefix..'suspended'` exists nothing is fetched; outcomes are still recorded.
local worker, now_iso, now, lease_until = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local streams = ARGV[6] == '1'
local finished_defaults = { ttl = ARGV[7], score = ARGV[8] }
local failed_defaults = { ttl = ARGV[9], score = ARGV[10] }
local fetch = tonumber(ARGV[11])
local q = tonumber(ARGV[12])
local queues = {}
for k = 1, q do queues[k] = ARGV[12 + k] end
local i = 13 + q
local n = tonumber(ARGV[i])
i = i + 1

local results = {}
local finished = {}
for k = 1, n do
  local kind = ARGV[i]
  if kind == 'f' then
    local job = claim_finished(worker, ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], finished_defaults, now)
    if job then finished[#finished + 1] = job end
    results[k] = job and 1 or 0
    i = i + 4
  else
    results[k] = fail(worker, ARGV[i + 1], ARGV[i + 2], ARGV[i + 5], ARGV[i + 6], ARGV[i + 3], ARGV[i + 4] == '1',
                      failed_defaults, streams, now_iso, now)
    i = i + 7
  end
end

finish_batch(finished, streams, now_iso)

local suspended = redis.call('EXISTS', suspended_key())
local started = {}
local dropped = 0
if suspended == 0 and fetch > 0 then
  dropped = dequeue(worker, queues, fetch, lease_until, now_iso, started)
end
return { suspended, dropped, results, started }
