using System.Reflection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

public sealed partial class Worker
{
    /// <summary>RQ lets registry cleanup drop a worker after this; refreshed by every heartbeat.</summary>
    private TimeSpan WorkerTtl => options.HeartbeatInterval * 4 + TimeSpan.FromSeconds(10);

    /// <summary>How often expired registry entries are removed (RQ does it every 15 minutes).</summary>
    private static readonly TimeSpan CleanEvery = TimeSpan.FromMinutes(1);

    internal static string Version { get; } =
        "taskqueue-" + (typeof(Worker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private IReadOnlyList<KeyValuePair<string, string>> RegistrationFields()
    {
        var now = Storage.RqTime.ToIso(time.GetUtcNow());
        return
        [
            new("birth", now),
            new("last_heartbeat", now),
            new("queues", string.Join(',', queues)),
            new("pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("hostname", Environment.MachineName),
            new("version", Version),
            new("state", "idle"),
            new("successful_job_count", "0"),
            new("failed_job_count", "0"),
            new("total_working_time", "0"),
        ];
    }

    /// <summary>Refreshes the worker's hash and pushes its jobs' leases forward; cancels jobs it has lost.</summary>
    /// <remarks>
    /// Beats at a fixed rate (a slow beat does not push the next one back), and covers the jobs that have ended
    /// but whose outcome is not recorded yet (the broker was unreachable) or that wait to be released: until
    /// then they are still this worker's, and a lapsed lease would have another worker run them again.
    /// </remarks>
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        long reportedOk = 0, reportedFailed = 0, reportedTicks = 0;
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(cancellationToken)) return;
                var (ok, bad, ticks) = (Interlocked.Read(ref succeeded), Interlocked.Read(ref failed), executor.WorkingTicks);
                var jobs = running.Values.Select(j => (j.Queue, j.Id))
                    .Concat(outcomes.Select(o => (o.Queue, o.JobId)))
                    .Concat(toRelease)
                    .ToArray();
                var current = running.Values.FirstOrDefault()?.Id;
                var beat = new WorkerBeat(Name, current is null ? "idle" : "busy", current,
                    ok - reportedOk, bad - reportedFailed, TimeSpan.FromTicks(ticks - reportedTicks).TotalSeconds);
                var lost = await store.HeartbeatAsync(beat, queues, jobs, options.Lease, WorkerTtl, cancellationToken);
                lastHeartbeat = time.GetUtcNow();
                (reportedOk, reportedFailed, reportedTicks) = (ok, bad, ticks);
                heartbeats?.Beat(Name, options.HeartbeatInterval, time.GetUtcNow());
                foreach (var id in lost)
                {
                    if (running.TryGetValue(id, out var job)) job.Cancel(CancelReason.LeaseLost);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (BrokerErrors.IsBrokerError(e))
            {
                WorkerLog.BrokerError(logger, options.HeartbeatInterval.TotalSeconds, e.Message);
            }
        }
    }

    /// <summary>Puts back jobs whose worker died (expired lease), and drops expired registry entries.</summary>
    /// <remarks>Every live worker sweeps its queues; the script is atomic, so two sweepers never move a job twice.
    /// A worker whose own heartbeats fail does not sweep: its own jobs' leases are lapsing for the same reason (a
    /// broker out of memory refused the heartbeat's writes but not the sweep's, and the only live worker failed its
    /// own live jobs as abandoned), and it cannot tell a dead worker from one cut off like itself.</remarks>
    private async Task SweepLoopAsync(CancellationToken cancellationToken)
    {
        var lastClean = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() - lastHeartbeat > options.Lease)
                {
                    await Task.Delay(options.HeartbeatInterval / 2, time, cancellationToken);
                    continue;
                }
                var moved = await store.RequeueAbandonedAsync(queues, options.MaxAbandons, cancellationToken: cancellationToken);
                foreach (var (id, status) in moved)
                {
                    WorkerLog.Abandoned(logger, id, status == JobStatus.Failed ? "failed as abandoned too often" : "re-queued at the front");
                }
                if (moved.Count > 0) wake.Set();
                telemetry.Abandoned(moved);
                if (time.GetUtcNow() - lastClean > CleanEvery)
                {
                    await store.CleanRegistriesAsync(queues, cancellationToken);
                    lastClean = time.GetUtcNow();
                }
                await Task.Delay(options.HeartbeatInterval / 2, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (BrokerErrors.IsBrokerError(e))
            {
                WorkerLog.BrokerError(logger, options.HeartbeatInterval.TotalSeconds, e.Message);
                try { await Task.Delay(options.HeartbeatInterval, time, cancellationToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Listens on <c>rq:pubsub:&lt;name&gt;</c> for RQ's worker commands.</summary>
    private async Task<RedisChannel> SubscribeCommandsAsync(RedisConnection redis)
    {
        var channel = RedisChannel.Literal(store.Keys.WorkerCommands(Name));
        await redis.Multiplexer.GetSubscriber().SubscribeAsync(channel, (_, payload) =>
        {
            if (WorkerCommand.Parse(payload.ToString()) is not { } command) return;
            WorkerLog.Command(logger, command.Command, command.JobId);
            switch (command.Command)
            {
                case WorkerCommand.StopJob when command.JobId is not null && running.TryGetValue(command.JobId, out var job):
                    job.Cancel(CancelReason.Stopped);
                    break;
                case WorkerCommand.Shutdown:
                    RequestStop();
                    break;
                case WorkerCommand.KillHorse:
                    foreach (var each in running.Values) each.Cancel(CancelReason.Killed);
                    break;
            }
        });
        return channel;
    }
}
