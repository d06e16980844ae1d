-- SaveMeta: writes a running job's meta from inside its task (RQ's job.save_meta()), while the job is this worker's.
-- Requires: Common
-- ARGV: prefix, worker, job id, meta (a JSON object, as RQ's JSONSerializer writes it)
-- Returns 1, or 0 when the job is no longer started by this worker (it ended, or another worker rescued it after its
-- lease expired): a run that lost its job must not write over the job's new owner.
local key = job_key(ARGV[3])
if not owned(key, ARGV[2]) then return 0 end
redis.call('HSET', key, 'meta', ARGV[4])
return 1
