-- EnqueueCron: enqueues the job of one periodic-task tick, at most once per tick however many
-- schedulers race for it: the last enqueued tick per task is kept in the hash cron_key().
-- A paused entry (in the set cron_paused_key()) has its ticks skipped, not kept for later: the scheduler moves on
-- to the next tick, so a resume starts from the next one.
-- Requires: Common, EnqueueJob
-- ARGV: prefix, now (ISO-8601), now (epoch s), task entry name, tick (epoch s), then one job spec.
-- Returns 1 when this call enqueued the tick, 0 when another scheduler already had, 2 when the entry is paused.
local now_iso, now, entry, tick = ARGV[2], tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local last = tonumber(redis.call('HGET', cron_key(), entry))
if last and last >= tick then return 0 end
if redis.call('SISMEMBER', cron_paused_key(), entry) == 1 then return 2 end
redis.call('HSET', cron_key(), entry, ARGV[5])
local spec = read_job_spec(6)
enqueue_job(spec, now_iso, now)
return 1
