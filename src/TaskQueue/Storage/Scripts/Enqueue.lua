-- Enqueue: a batch of new jobs -> queued, deferred or scheduled, in one atomic step.
-- Requires: Common, EnqueueJob
-- ARGV: prefix, now (ISO-8601), now (epoch s), queue of the plain jobs, then groups of jobs, in order, until the end:
--       'p', n, then n times: id, data, description     (a run of plain jobs: NewJob.IsPlain, for that queue)
--       't', n, traceparent, tracestate ('' for none), then n times: id, data, description
--                                                        (the same, every job carrying that trace context)
--       'j', then one job as read_job_spec lays it out.
-- Returns one letter per job, in order: q (queued), d (deferred) or s (scheduled); one string for the batch
-- instead of a reply value per job. A job not enqueued because a live job holds its chosen id (see enqueue_job) gets
-- that job's status in capitals: Q, D, S, or R (started, running).
local now_iso, now, plain_queue = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local LETTER = { queued = 'q', deferred = 'd', scheduled = 's' }
local HELD = { queued = 'Q', deferred = 'D', scheduled = 'S', started = 'R' }
local statuses = {}
local pushes = {}
local i = 5
while i <= #ARGV do
  if ARGV[i] == 'p' then
    local n = tonumber(ARGV[i + 1])
    i = enqueue_plain_run(i + 2, n, plain_queue, now_iso, pushes)
    statuses[#statuses + 1] = string.rep('q', n)
  elseif ARGV[i] == 't' then
    local n = tonumber(ARGV[i + 1])
    local trace = { 'traceparent', ARGV[i + 2] }
    if ARGV[i + 3] ~= '' then trace[3], trace[4] = 'tracestate', ARGV[i + 3] end
    i = enqueue_plain_run(i + 4, n, plain_queue, now_iso, pushes, trace)
    statuses[#statuses + 1] = string.rep('q', n)
  else
    local spec
    spec, i = read_job_spec(i + 1)
    local status, held = enqueue_job(spec, now_iso, now, pushes)
    statuses[#statuses + 1] = held and HELD[status] or LETTER[status]
  end
end
flush_pushes(pushes)
return table.concat(statuses)
