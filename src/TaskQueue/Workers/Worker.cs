using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Workers;

/// <summary>Takes jobs off queues and runs them, several at once as async tasks.</summary>
/// <remarks>
/// Duties: register in RQ's worker layout; loop "record what ended, start what fits" through one Complete
/// script call per turn (so a busy worker batches outcomes and fetches); wait for work on blocking
/// connections when idle (<see cref="JobWaiter"/>); hand the jobs it starts to its <see cref="JobExecutor"/>, which owns
/// their slots; heartbeat its own and its jobs' leases; sweep for jobs whose worker died; obey commands; optionally run
/// the scheduler; stop, with an error, once zombie jobs (ones that ignore their cancellation) reach
/// <see cref="WorkerOptions.MaxZombies"/>. Shutdown has two phases: quiet (take no
/// new jobs, let running ones finish within the grace period) then stop (cancel the rest and put them
/// back at the front of their queues). A second request skips the grace period.
/// </remarks>
public sealed partial class Worker
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(2);

    private readonly WorkerOptions options;
    private readonly TaskQueueOptions queueOptions;
    private readonly IReadOnlyList<string> queues;
    private readonly WorkerStore store;
    private readonly BrokerConnection broker;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly JobExecutor executor;
    private readonly Scheduler? scheduler;
    private readonly WorkerTelemetry telemetry;
    private readonly WorkerHeartbeats? heartbeats;

    /// <summary>The executor's running jobs: their leases are this worker's to keep.</summary>
    private readonly ConcurrentDictionary<string, RunningJob> running;
    private readonly ConcurrentQueue<JobOutcome> outcomes = new();
    /// <summary>Outcomes of a batch whose Complete call failed in the script: sent one per call to find the bad one.</summary>
    private readonly ConcurrentQueue<JobOutcome> suspects = new();
    private readonly ConcurrentQueue<(string Queue, string JobId)> toRelease = new();
    private readonly Signal wake = new();
    private readonly CancellationTokenSource abort = new();
    /// <summary>Set when a Complete call may have run without its reply arriving: its started jobs must be reclaimed.</summary>
    private bool reclaimNeeded;
    /// <summary>When this worker's heartbeat last reached the broker (its registration counts as the first).</summary>
    private DateTimeOffset lastHeartbeat;
    private int stopRequests;
    private int startedCount;
    private long succeeded, failed;

    /// <summary>A worker over the services <c>AddTaskQueue</c> registered in <paramref name="services"/>, for a host that
    /// runs workers itself rather than through <c>AddWorker</c>; run it with <see cref="RunAsync"/>.</summary>
    public Worker(WorkerOptions options, IServiceProvider services)
        : this(options, services.GetRequiredService<WorkerServices>())
    {
    }

    internal Worker(WorkerOptions options, WorkerServices services)
    {
        options.Validate();
        this.options = options;
        queueOptions = services.Options;
        queues = [.. options.Queues];
        broker = services.Broker;
        store = services.Store;
        time = services.Time;
        logger = services.Logger;
        Name = options.Name ?? $"{Environment.MachineName}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..6]}";
        // Zombies past the limit quiet the worker down like a first stop request, never escalate one in progress.
        telemetry = new WorkerTelemetry(services.Metrics, time);
        heartbeats = services.Heartbeats;
        executor = new JobExecutor(services, options, Name, telemetry, outcomes, toRelease, wake.Set, () => { if (!Stopping) RequestStop(); });
        running = executor.Running;
        if (options.WithScheduler)
        {
            scheduler = new Scheduler(services.SchedulerStore, services.Jobs, broker, services.Cron, queueOptions, queues, Name,
                options.SchedulerMaxSleep, time, logger, wake.Set);
        }
    }

    /// <summary>The worker's name in Redis (<c>rq:worker:&lt;name&gt;</c>).</summary>
    public string Name { get; }

    /// <summary>Jobs this worker has started.</summary>
    public int StartedCount => Volatile.Read(ref startedCount);

    /// <summary>First call: quiet down (finish running jobs within the grace period). Second call: stop at once.</summary>
    public void RequestStop()
    {
        if (Interlocked.Increment(ref stopRequests) >= 2) abort.Cancel();
        wake.Set();
    }

    private bool Stopping => Volatile.Read(ref stopRequests) > 0;

    /// <summary>Runs until stopped (<paramref name="stoppingToken"/> or <see cref="RequestStop"/>), or until the
    /// queues are empty in burst mode, or after <see cref="WorkerOptions.MaxJobs"/> jobs.</summary>
    public async Task RunAsync(CancellationToken stoppingToken = default)
    {
        var redis = await broker.GetAsync(stoppingToken);
        EnsureThreads();
        await store.RegisterAsync(Name, queues, RegistrationFields(), WorkerTtl, stoppingToken);
        lastHeartbeat = time.GetUtcNow();
        heartbeats?.Beat(Name, options.HeartbeatInterval, lastHeartbeat);
        WorkerLog.Started(logger, Name, Environment.ProcessId, Version, string.Join(", ", queues), options.Concurrency);

        using var stopping = stoppingToken.Register(RequestStop);
        using var background = new CancellationTokenSource();
        var commands = await SubscribeCommandsAsync(redis);
        await using var waiter = JobWaiter.Start(redis, store.Keys, queues, wake.Set);
        var loops = new List<Task> { HeartbeatLoopAsync(background.Token), SweepLoopAsync(background.Token) };
        if (scheduler is not null) loops.Add(scheduler.RunAsync(background.Token));

        var reason = "stopped";
        var zombieStop = false;
        try
        {
            reason = await ProcessAsync(waiter);
            zombieStop = executor.Zombies.LimitReached;
            if (zombieStop) reason = $"{executor.Zombies.Count} zombie job(s)";
            await DrainAsync();
        }
        finally
        {
            await background.CancelAsync();
            await Task.WhenAll(loops.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
            await redis.Multiplexer.GetSubscriber().UnsubscribeAsync(commands);
            await FlushAsync();
            await store.UnregisterAsync(Name, queues);
            heartbeats?.Remove(Name);
            await executor.DisposeAsync();
            WorkerLog.Quitting(logger, Name, reason);
        }
        // Zombies still run: only a new process gets their threads back.
        if (zombieStop) throw new ZombieJobsException(executor.Zombies.Count);
    }

    /// <summary>Quiet phase, then stop: waits for running jobs within the grace period, then cancels and releases them.</summary>
    private async Task DrainAsync()
    {
        if (running.IsEmpty) return;
        WorkerLog.Stopping(logger, running.Count, options.ShutdownGrace.TotalSeconds);
        var deadline = time.GetUtcNow() + options.ShutdownGrace;
        while (!running.IsEmpty && !abort.IsCancellationRequested && time.GetUtcNow() < deadline)
        {
            await wake.WaitAsync(Min(deadline - time.GetUtcNow(), IdleWait), abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            await TryFlushAsync();
        }
        foreach (var job in running.Values) job.Cancel(CancelReason.Shutdown);
        // A job that ignores its cancellation for the grace leaves the running set as a zombie (released all the same).
        var unwind = time.GetUtcNow() + options.CancelGrace + TimeSpan.FromSeconds(1);
        while (!running.IsEmpty && time.GetUtcNow() < unwind)
        {
            await wake.WaitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
        // Jobs still running now ignore their token; they are released all the same and run again elsewhere.
        foreach (var job in running.Values) toRelease.Enqueue((job.Queue, job.Id));
    }

    /// <summary>Records what ended and releases what was canceled by the shutdown.</summary>
    private async Task FlushAsync()
    {
        var ended = Drain(outcomes);
        ended.AddRange(Drain(suspects));
        if (ended.Count > 0)
        {
            var reply = await store.CompleteAsync(Name, ended, queues, 0, options.Lease);
            Report(ended, reply.Recorded);
        }
        var released = Drain(toRelease);
        if (released.Count > 0) WorkerLog.Released(logger, await store.ReleaseAsync(Name, released));
    }

    private async Task TryFlushAsync()
    {
        var ended = Drain(outcomes);
        if (ended.Count == 0) return;
        try
        {
            Report(ended, (await store.CompleteAsync(Name, ended, queues, 0, options.Lease)).Recorded);
        }
        catch (Exception e) when (BrokerErrors.IsBrokerError(e))
        {
            foreach (var outcome in ended) outcomes.Enqueue(outcome);
        }
    }

    /// <summary>Synchronous tasks each hold a pool thread while they run; without enough threads the heartbeat
    /// would queue behind them, leases would expire, and live jobs would be re-run elsewhere.</summary>
    private void EnsureThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = options.Concurrency + 4;
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, io);
    }

    /// <summary>Slots that can take a job now: not running one (nor a zombie), and not reserved by a Complete call in flight.</summary>
    private int FreeSlots(int reserved)
    {
        var free = Math.Max(0, options.Concurrency - executor.Occupied - reserved);
        return options.MaxJobs is { } max ? Math.Min(free, Math.Max(0, max - StartedCount - reserved)) : free;
    }

    private void Start(IReadOnlyList<StartedJob> jobs)
    {
        Interlocked.Add(ref startedCount, jobs.Count);
        telemetry.Started(jobs);
        executor.Start(jobs);
    }

    private void Report(IReadOnlyList<JobOutcome> ended, IReadOnlyList<Recording> recorded)
    {
        for (var i = 0; i < ended.Count; i++)
        {
            var outcome = ended[i];
            telemetry.Recorded(outcome, recorded[i]);
            switch (recorded[i])
            {
                case Recording.NotOwned:
                    WorkerLog.JobLost(logger, outcome.JobId);
                    continue;
                case Recording.EndedEarlier:
                    // Recorded by a call whose reply was lost: counted, and logged as it was recorded then.
                    WorkerLog.RecordedEarlier(logger, outcome.Queue, outcome.JobId);
                    break;
            }
            switch (outcome)
            {
                case JobSucceeded ok:
                    Interlocked.Increment(ref succeeded);
                    if (recorded[i] == Recording.EndedEarlier) break;
                    WorkerLog.JobOk(logger, ok.Queue, ok.JobId);
                    LogResultTtl(ok.ResultTtlSeconds ?? RqTime.Seconds(queueOptions.DefaultResultTtl));
                    break;
                case JobFailed f:
                    Interlocked.Increment(ref failed);
                    if (recorded[i] == Recording.Stopped) WorkerLog.JobStopped(logger, f.Queue, f.JobId);
                    else if (recorded[i] is Recording.Requeued or Recording.Scheduled)
                    {
                        WorkerLog.JobRetrying(logger, f.Queue, f.JobId, recorded[i] == Recording.Requeued ? "queued" : "scheduled");
                        WorkerLog.JobFailed(logger, f.Queue, f.JobId, f.ExcInfo);
                    }
                    else if (recorded[i] == Recording.Failed) WorkerLog.JobFailed(logger, f.Queue, f.JobId, f.ExcInfo);
                    break;
            }
        }
    }

    /// <summary>Logs the queue entries a Complete call did not start: a job that can never run (failed on the spot), a
    /// key of the wrong type (dropped; nothing to record it in), and, as one line, the ids whose job is gone.</summary>
    private void ReportSkipped(IReadOnlyList<SkippedJob> skipped)
    {
        if (skipped.Count == 0) return;
        var dropped = 0;
        foreach (var job in skipped)
        {
            switch (job.Reason)
            {
                case SkipReason.Failed:
                    Interlocked.Increment(ref failed);
                    WorkerLog.JobUnrunnable(logger, job.Id, job.Detail ?? "");
                    break;
                case SkipReason.WrongType:
                    WorkerLog.JobKeyWrongType(logger, job.Id);
                    break;
                case SkipReason.QueueWrongType:
                    WorkerLog.QueueKeyWrongType(logger, job.Detail ?? "");
                    break;
                default:
                    dropped++;
                    break;
            }
        }
        if (dropped > 0) WorkerLog.Dropped(logger, dropped);
    }

    private void LogResultTtl(long seconds)
    {
        if (seconds < 0) WorkerLog.ResultKeptForever(logger);
        else if (seconds == 0) WorkerLog.ResultDiscarded(logger);
        else WorkerLog.ResultKept(logger, seconds);
    }

    private static List<T> Drain<T>(ConcurrentQueue<T> queue)
    {
        var items = new List<T>(queue.Count);
        while (queue.TryDequeue(out var item)) items.Add(item);
        return items;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
