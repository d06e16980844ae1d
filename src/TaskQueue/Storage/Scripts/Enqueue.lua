-- Enqueue: a batch of new jobs -> queued, deferred or scheduled, in one atomic step.
-- Requires: Common, EnqueueJob
-- ARGV: prefix, now (ISO-8601), now (epoch s), queue of the plain jobs, job count, then per job either
--       'p', id, data, description              (a plain job: NewJob.IsPlain, for that queue)
--       'j', then the job as read_job_spec lays it out.
-- Returns one letter per job, in order: q (queued), d (deferred) or s (scheduled); one string for the batch
-- instead of a reply value per job.
local now_iso, now, plain_queue = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local count = tonumber(ARGV[5])
local LETTER = { queued = 'q', deferred = 'd', scheduled = 's' }
local statuses = {}
local pushes = {}
local i = 6
for k = 1, count do
  if ARGV[i] == 'p' then
    enqueue_plain(ARGV[i + 1], plain_queue, ARGV[i + 2], ARGV[i + 3], now_iso, pushes)
    statuses[k] = 'q'
    i = i + 4
  else
    local spec
    spec, i = read_job_spec(i + 1)
    statuses[k] = LETTER[enqueue_job(spec, now_iso, now, pushes)]
  end
end
flush_pushes(pushes)
return table.concat(statuses)
