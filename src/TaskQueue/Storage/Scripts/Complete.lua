-- Complete: the worker's hot path. Ends a batch of jobs (Finish / Fail) and starts the next ones
-- (Dequeue), all in one atomic step and one round trip.
-- Requires: Common, EnqueueJob, EnqueueDependents, Finish, Fail, Dequeue
-- ARGV: prefix, worker, now (ISO-8601), now (epoch s), lease until (epoch s, integer), streams (0/1),
--       default result ttl (s), its finished-registry score, default failure ttl (s), its failed-registry score,
--       fetch count, queue count q, q queue names,
--       finished group count g, per group: queue, job count n, with results (0/1), then n x id, or with
--       results n x (id, result (see Finish)),
--       failed count m, m x (id, queue, final status, may retry (0/1), exc for hash, exc for stream (see Fail)).
-- Finished jobs come grouped by queue and by whether they returned a value: one value per job for the usual
-- job that returns nothing (every ARGV value costs a conversion), two for one that does.
-- Returns { suspended (0/1), dropped id count, { positions (1-based, in the order sent) of the finished jobs no
--           longer ours },
--           { per failed job in order: its new status, or 0 }, started jobs (see Dequeue) }.
-- While `prefix..'suspended'` exists nothing is fetched; outcomes are still recorded.
local worker, now_iso, now, lease_until = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local streams = ARGV[6] == '1'
local finished_defaults = retention_of(ARGV[7], ARGV[8])
local failed_defaults = retention_of(ARGV[9], ARGV[10])
local fetch = tonumber(ARGV[11])
local q = tonumber(ARGV[12])
local queues = {}
for k = 1, q do queues[k] = ARGV[12 + k] end
local i = 13 + q

-- Finished jobs this worker no longer owns, by their position among the finished ones sent (1-based): the
-- reply carries the exceptions, not a value per job.
local lost, finished, sent = {}, {}, 0
local groups = tonumber(ARGV[i])
i = i + 1
for g = 1, groups do
  local group = { queue = ARGV[i], ids = {}, keys = {}, special = {} }
  local n, with_results = tonumber(ARGV[i + 1]), ARGV[i + 2] == '1'
  i = i + 3
  for _ = 1, n do
    sent = sent + 1
    if not claim_finished(group, worker, ARGV[i], with_results and ARGV[i + 1] or '', finished_defaults, now) then
      lost[#lost + 1] = sent
    end
    i = i + (with_results and 2 or 1)
  end
  finished[g] = group
end

local failed_results = {}
local m = tonumber(ARGV[i])
i = i + 1
for k = 1, m do
  failed_results[k] = fail(worker, ARGV[i], ARGV[i + 1], ARGV[i + 4], ARGV[i + 5], ARGV[i + 2], ARGV[i + 3] == '1',
                           failed_defaults, streams, now_iso, now)
  i = i + 6
end

finish_batch(finished, streams, now_iso, finished_defaults)

local suspended = redis.call('EXISTS', suspended_key())
local started = {}
local dropped = 0
if suspended == 0 and fetch > 0 then
  dropped = dequeue(worker, queues, fetch, lease_until, now_iso, started)
end
return { suspended, dropped, lost, failed_results, started }
