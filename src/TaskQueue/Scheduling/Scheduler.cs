using System.Globalization;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Scheduling;

/// <summary>Moves scheduled jobs to their queues when due, and enqueues periodic tasks at their ticks.</summary>
/// <remarks>
/// Duties: hold RQ's per-queue scheduler lock (so one scheduler, ours or RQ's, is active per queue);
/// sleep until the earliest due job or cron tick instead of polling, waking early when a job is scheduled
/// sooner (the Enqueue and Fail scripts publish its due time); enqueue each cron tick exactly once, whatever
/// the number of schedulers, through the EnqueueCron script (which skips paused entries); publish the cron entries
/// for <see cref="CronControl"/>.
/// </remarks>
internal sealed partial class Scheduler(
    SchedulerStore store, JobStore jobs, BrokerConnection broker, CronSchedule cron, TaskQueueOptions options,
    IReadOnlyList<string> queues, string owner, TimeSpan maxSleep, TimeProvider time, ILogger logger, Action? onPromoted = null)
{
    /// <summary>RQ's lock lifetime (its interval plus 60 s).</summary>
    private static readonly TimeSpan LockTtl = TimeSpan.FromSeconds(61);

    /// <summary>How often the locks are taken or renewed: RQ's scheduler interval.</summary>
    /// <remarks>Passes come as often as jobs fall due (every few ms under load); renewing at each pass added a
    /// round trip between a job's due time and its promotion.</remarks>
    private static readonly TimeSpan LockEvery = TimeSpan.FromSeconds(1);

    /// <summary>How often the cron entries are published again, in case the hash was deleted or another process's
    /// older version of an entry overwrote it.</summary>
    private static readonly TimeSpan PublishEvery = TimeSpan.FromMinutes(1);

    private readonly Workers.Signal wake = new();
    private DateTimeOffset publishedAt = DateTimeOffset.MinValue;
    private long nextWakeTicks = long.MaxValue;
    private IReadOnlyList<string> held = [];
    private DateTimeOffset lockedAt = DateTimeOffset.MinValue;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var subscriber = redis.Multiplexer.GetSubscriber();
        var channel = RedisChannel.Literal(store.Keys.SchedulerWakeup);
        await subscriber.SubscribeAsync(channel, (_, due) => OnScheduled(due));
        var ticks = cron.Entries.ToDictionary(e => e, e => e.NextTick(time.GetUtcNow()));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                DateTimeOffset? next;
                try
                {
                    next = await PassAsync(ticks, cancellationToken);
                }
                catch (Exception e) when (e is RedisException or TimeoutException or TaskQueueConnectionException)
                {
                    LogBrokerError(logger, e.Message);
                    next = null;
                }
                var now = time.GetUtcNow();
                var until = next is { } due && due - now < maxSleep ? due : now + maxSleep;
                Interlocked.Exchange(ref nextWakeTicks, until.UtcTicks);
                var delay = until - now;
                if (delay > TimeSpan.Zero) await wake.WaitAsync(delay, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
            try { await store.ReleaseLocksAsync(owner, queues); }
            catch (Exception e) when (e is RedisException or TimeoutException) { LogBrokerError(logger, e.Message); }
        }
    }

    /// <summary>One promotion pass over the queues whose lock this scheduler holds (used by burst workers).</summary>
    public async Task<int> PromoteOnceAsync(CancellationToken cancellationToken)
    {
        held = await store.AcquireLocksAsync(owner, LockTtl, queues, cancellationToken);
        return held.Count == 0 ? 0 : (await store.PromoteDueAsync(held, cancellationToken: cancellationToken)).Promoted;
    }

    /// <summary>Renews locks, promotes due jobs, enqueues due cron ticks; returns when the next thing is due.</summary>
    private async Task<DateTimeOffset?> PassAsync(Dictionary<CronEntry, DateTimeOffset?> ticks, CancellationToken cancellationToken)
    {
        if (time.GetUtcNow() - lockedAt >= LockEvery)
        {
            var previous = held;
            held = await store.AcquireLocksAsync(owner, LockTtl, queues, cancellationToken);
            lockedAt = time.GetUtcNow();
            if (held.Count != previous.Count) LogLocks(logger, owner, held.Count == 0 ? "none" : string.Join(", ", held));
        }

        if (cron.Entries.Count > 0 && time.GetUtcNow() - publishedAt >= PublishEvery)
        {
            await store.PublishCronAsync(cron.Entries, cancellationToken);
            publishedAt = time.GetUtcNow();
        }

        DateTimeOffset? next = null;
        if (held.Count > 0)
        {
            var (promoted, nextDue) = await store.PromoteDueAsync(held, cancellationToken: cancellationToken);
            if (promoted > 0)
            {
                LogPromoted(logger, promoted);
                // This process's worker takes them at once, without waiting for its blocking read to notice.
                onPromoted?.Invoke();
            }
            next = nextDue;
        }

        foreach (var (entry, tick) in ticks)
        {
            var now = time.GetUtcNow();
            if (tick is { } due && due <= now)
            {
                var job = entry.Job;
                var request = JobRequest.Create(job.TaskName, job.Args, job.Kwargs, job.Options with
                {
                    JobId = $"cron:{entry.Name}:{due.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}",
                });
                var spec = NewJob.Build(request, entry.Queue ?? options.DefaultQueue, now, options);
                switch (await jobs.EnqueueCronAsync(entry.Name, due, spec, cancellationToken))
                {
                    case CronTickOutcome.Enqueued:
                        LogCronTick(logger, entry.Name, due);
                        break;
                    case CronTickOutcome.Paused:
                        LogCronPaused(logger, entry.Name, due);
                        break;
                }
                ticks[entry] = entry.NextTick(now);
            }
            if (ticks[entry] is { } upcoming && (next is null || upcoming < next)) next = upcoming;
        }
        return next;
    }

    private void OnScheduled(RedisValue due)
    {
        // Wake only for a job due before the current wake-up time; later ones are picked up in time anyway.
        if (double.TryParse(due.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var score)
            && RqTime.FromScore(score).UtcTicks < Interlocked.Read(ref nextWakeTicks))
        {
            wake.Set();
        }
    }

    [LoggerMessage(LogLevel.Information, "Scheduler {Owner} holds the scheduler lock of: {Queues}")]
    private static partial void LogLocks(ILogger logger, string owner, string queues);

    [LoggerMessage(LogLevel.Debug, "Scheduler moved {Count} due job(s) to their queues")]
    private static partial void LogPromoted(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "Periodic task {Name}: enqueued the tick of {Tick:O}")]
    private static partial void LogCronTick(ILogger logger, string name, DateTimeOffset tick);

    [LoggerMessage(LogLevel.Information, "Periodic task {Name} is paused: skipped the tick of {Tick:O}")]
    private static partial void LogCronPaused(ILogger logger, string name, DateTimeOffset tick);

    [LoggerMessage(LogLevel.Warning, "Scheduler: broker call failed, retrying: {Reason}")]
    private static partial void LogBrokerError(ILogger logger, string reason);
}
