-- Enqueue: a batch of new jobs -> queued, deferred or scheduled, in one atomic step.
-- Requires: Common, EnqueueJob
-- ARGV: prefix, now (ISO-8601), now (epoch s), job count, then each job as read_job_spec lays it out.
-- Returns one status per job, in order: 'queued', 'deferred' or 'scheduled'.
local now_iso, now = ARGV[2], tonumber(ARGV[3])
local count = tonumber(ARGV[4])
local statuses = {}
local i = 5
for k = 1, count do
  local spec
  spec, i = read_job_spec(i)
  statuses[k] = enqueue_job(spec, now_iso, now)
end
return statuses
