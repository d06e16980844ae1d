-- Complete: the worker's hot path. Ends a batch of jobs (Finish / Fail) and starts the next ones
-- (Dequeue), all in one atomic step and one round trip.
-- Requires: Common, EnqueueJob, EnqueueDependents, Finish, Fail, Dequeue
-- ARGV (written by CompleteCall.cs; the two change together):
--    1 prefix   2 worker   3 now (ISO-8601)   4 now (epoch s)   5 lease until (epoch s, integer)   6 streams (0/1)
--    7 default result ttl (s)    8 its finished-registry score
--    9 default failure ttl (s)  10 its failed-registry score
--   11 fetch count   12 largest data accepted (bytes)   13 return enqueued_at (0/1)
--   14 queue count q, then q queue names
--   then the finished jobs: group count g, per group: queue, job count n, with results (0/1), then n x id, or
--        with results n x (id, result (see Finish))
--   then the failed jobs: count m, m x (id, queue, final status, may retry (0/1), exc for hash, exc for stream (see Fail))
-- Finished jobs come grouped by queue and by whether they returned a value: one value per job for the usual
-- job that returns nothing (every ARGV value costs a conversion), two for one that does.
-- Returns (read by CompleteReply.cs):
--   1 suspended (0/1): while `prefix..'suspended'` exists nothing is fetched; outcomes are still recorded
--   2 what Dequeue skipped: id, reason pairs (see Dequeue)
--   3 the finished jobs this call did not finish: position (1-based, in the order sent), 'e' | 'n' pairs
--     ('e': this worker had ended it already, in a call whose reply was lost; 'n': it is not this worker's)
--   4 per failed job, in order: its new status, or 'e' | 'n'
--   5 the started jobs (see Dequeue)
--   6 the queues it did not take jobs from because they are paused
--   7 the queues whose limits held back jobs: queue, retry hint pairs (ms; -1: when one of its running jobs ends)
-- Nothing in it raises on what a job hash holds (see Common), so one malformed job cannot undo the batch.
local worker, now_iso, now, lease_until = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local streams = ARGV[6] == '1'
local finished_defaults = retention_of(ARGV[7], ARGV[8])
local failed_defaults = retention_of(ARGV[9], ARGV[10])
local fetch = tonumber(ARGV[11])
local limits = { max_data = tonumber(ARGV[12]), with_enqueued_at = ARGV[13] == '1', failed_defaults = failed_defaults,
                 now = now, now_text = ARGV[4] }
local q = tonumber(ARGV[14])
local queues = {}
for k = 1, q do queues[k] = ARGV[14 + k] end
local i = 15 + q

local unclaimed, finished, sent = {}, {}, 0
local groups = tonumber(ARGV[i])
i = i + 1
for g = 1, groups do
  local group = { queue = ARGV[i], ids = {}, keys = {}, special = {} }
  local n, with_results = tonumber(ARGV[i + 1]), ARGV[i + 2] == '1'
  i = i + 3
  for _ = 1, n do
    sent = sent + 1
    local why = claim_finished(group, worker, ARGV[i], with_results and ARGV[i + 1] or '', finished_defaults, now)
    if why then
      unclaimed[#unclaimed + 1] = sent
      unclaimed[#unclaimed + 1] = why
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
local started, skipped, paused, throttled = {}, {}, {}, {}
if suspended == 0 and fetch > 0 then
  dequeue(worker, queues, fetch, lease_until, now_iso, limits, started, skipped, paused, throttled)
end
return { suspended, skipped, unclaimed, failed_results, started, paused, throttled }
