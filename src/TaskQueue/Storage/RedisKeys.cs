namespace TaskQueue.Storage;

/// <summary>The Redis key names, in RQ 1.x's layout under a configurable prefix (<c>rq:</c> by default).</summary>
/// <remarks>The Lua scripts build the same names in <c>Common.lua</c>; a test keeps the two in step.</remarks>
public sealed class RedisKeys(string prefix = RedisKeys.DefaultPrefix)
{
    /// <summary>RQ's prefix; Python RQ and its tools only see keys under it.</summary>
    public const string DefaultPrefix = "rq:";

    /// <summary>The prefix every key starts with.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>The set of queue keys (<c>rq:queues</c>).</summary>
    public string Queues => Prefix + "queues";

    /// <summary>The set of live worker keys (<c>rq:workers</c>).</summary>
    public string Workers => Prefix + "workers";

    /// <summary>Set while workers are suspended (<c>rq:suspended</c>).</summary>
    public string Suspended => Prefix + "suspended";

    /// <summary>The hash of the last enqueued tick per periodic task.</summary>
    public string Cron => Prefix + "cron";

    /// <summary>The hash of the periodic tasks schedulers publish (name -> JSON), so any process can list them.</summary>
    public string CronEntries => Prefix + "cron:entries";

    /// <summary>The set of paused periodic-task names; EnqueueCron skips their ticks.</summary>
    public string CronPaused => Prefix + "cron:paused";

    /// <summary>The hash of throughput counts (and sampled queue ages) of the time bucket starting at <paramref name="bucket"/> (epoch s).</summary>
    public string Stats(long bucket) => Prefix + "stats:" + bucket.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The pub/sub channel that wakes schedulers when a job is scheduled.</summary>
    public string SchedulerWakeup => Prefix + "scheduler:wakeup";

    public string Job(string id) => Prefix + "job:" + id;

    public string Dependents(string id) => Prefix + "job:" + id + ":dependents";

    /// <summary>The dependencies of a job; the double colon is RQ's, in every version.</summary>
    public string Dependencies(string id) => Prefix + "job::" + id + ":dependencies";

    public string Results(string id) => Prefix + "results:" + id;

    public string Queue(string name) => Prefix + "queue:" + name;

    /// <summary>The queue name of a key from <see cref="Queues"/>, or null when the key is not a queue key.</summary>
    public string? QueueName(string queueKey) =>
        queueKey.StartsWith(Prefix + "queue:", StringComparison.Ordinal) ? queueKey[(Prefix.Length + 6)..] : null;

    public string Registry(Registry registry, string queue) => Prefix + registry.KeyPart() + ":" + queue;

    public string Worker(string name) => Prefix + "worker:" + name;

    /// <summary>The worker name of a key from <see cref="Workers"/>.</summary>
    public string WorkerName(string workerKey) =>
        workerKey.StartsWith(Prefix + "worker:", StringComparison.Ordinal) ? workerKey[(Prefix.Length + 7)..] : workerKey;

    public string QueueWorkers(string queue) => Prefix + "workers:" + queue;

    /// <summary>The channel a worker takes commands on (<c>stop-job</c>, <c>shutdown</c>, <c>kill-horse</c>).</summary>
    public string WorkerCommands(string workerName) => Prefix + "pubsub:" + workerName;

    public string SchedulerLock(string queue) => Prefix + "scheduler-lock:" + queue;

    /// <summary>Set while a queue is paused: workers take none of its jobs; producers still enqueue (ours, not RQ's).</summary>
    public string Paused(string queue) => Prefix + "paused:" + queue;

    /// <summary>A queue's limits, a hash of <c>rate</c> (jobs), <c>per</c> (ms) and <c>concurrency</c> (jobs running at once),
    /// enforced by the fetch script across all our workers (ours, not RQ's).</summary>
    public string Limits(string queue) => Prefix + "limits:" + queue;

    /// <summary>The starts a queue's rate limit counts: a sorted set of recent starts scored by time (ours).</summary>
    public string RateLog(string queue) => Prefix + "rate:" + queue;
}

/// <summary>The per-queue registries (sorted sets) a job passes through.</summary>
public enum Registry
{
    /// <summary>Started jobs, scored by lease expiry (RQ's StartedJobRegistry, key <c>wip</c>).</summary>
    Started,
    Finished,
    Failed,
    Deferred,
    Scheduled,
    Canceled,
}

internal static class RegistryExtensions
{
    public static string KeyPart(this Registry registry) => registry switch
    {
        Registry.Started => "wip",
        Registry.Finished => "finished",
        Registry.Failed => "failed",
        Registry.Deferred => "deferred",
        Registry.Scheduled => "scheduled",
        Registry.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(registry)),
    };
}
