-- Heartbeat: keeps a worker alive and pushes the leases of its running jobs forward.
-- Requires: Common
-- ARGV: prefix, worker name, now (ISO-8601), lease until (epoch s, integer), worker ttl (s), state, current job,
--       successful delta, failed delta, working seconds delta, stats bucket (epoch s), stats ttl (s),
--       queue count q, q queue names, then (queue, job id) pairs for the jobs it runs.
-- Returns the ids it no longer owns: their lease expired and a sweep gave them to someone else.
local name, now_iso, lease_until, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local key = worker_key(name)
redis.call('HSET', key, 'last_heartbeat', now_iso, 'state', ARGV[6], 'current_job', ARGV[7])
if ARGV[8] ~= '0' then redis.call('HINCRBY', key, 'successful_job_count', ARGV[8]) end
if ARGV[9] ~= '0' then redis.call('HINCRBY', key, 'failed_job_count', ARGV[9]) end
if ARGV[10] ~= '0' then redis.call('HINCRBYFLOAT', key, 'total_working_time', ARGV[10]) end
redis.call('EXPIRE', key, ttl)
-- Throughput history for dashboards (StatsHistory): the same deltas into a time bucket shared by every worker,
-- one HINCRBY per beat that has something to count instead of one per job.
if ARGV[8] ~= '0' or ARGV[9] ~= '0' then
  local stats = stats_key(ARGV[11])
  if ARGV[8] ~= '0' then redis.call('HINCRBY', stats, 'finished', ARGV[8]) end
  if ARGV[9] ~= '0' then redis.call('HINCRBY', stats, 'failed', ARGV[9]) end
  redis.call('EXPIRE', stats, ARGV[12])
end
-- RQ's registry cleanup drops set members whose hash is gone; re-adding keeps a paused worker listed.
redis.call('SADD', workers_key(), key)
local q = tonumber(ARGV[13])
for k = 14, 13 + q do redis.call('SADD', queue_workers_key(ARGV[k]), key) end
local lost = {}
for k = 14 + q, #ARGV, 2 do
  local queue, id = ARGV[k], ARGV[k + 1]
  local key = job_key(id)
  if owned(key, name) then
    redis.call('ZADD', registry_key('wip', queue), lease_until, id)
    redis.call('HSET', key, 'last_heartbeat', now_iso)
  else
    lost[#lost + 1] = id
  end
end
return lost
