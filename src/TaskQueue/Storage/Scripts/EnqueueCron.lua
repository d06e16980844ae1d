-- EnqueueCron: enqueues the job of one periodic-task tick, at most once per tick however many
-- schedulers race for it: the last enqueued tick per task is kept in the hash prefix..'cron'.
-- Requires: Common, EnqueueJob
-- ARGV: prefix, now (ISO-8601), now (epoch s), task entry name, tick (epoch s), then one job spec.
-- Returns 1 when this call enqueued the tick, 0 when another scheduler already had.
local now_iso, now, entry, tick = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local last = tonumber(redis.call('HGET', prefix .. 'cron', entry))
if last and last >= tick then return 0 end
redis.call('HSET', prefix .. 'cron', entry, ARGV[5])
local spec = read_job_spec(6)
enqueue_job(spec, now_iso, now)
return 1
