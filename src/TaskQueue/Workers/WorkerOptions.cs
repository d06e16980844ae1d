namespace TaskQueue.Workers;

/// <summary>How a worker runs: which queues, how many jobs at once, and its timing.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "TaskQueue:Worker";

    /// <summary>Queues in strict priority order: a job is taken from a later queue only when the earlier ones are empty.</summary>
    public IList<string> Queues { get; set; } = ["default"];

    /// <summary>Jobs run at once, as async tasks in this process (no thread per job).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Exit once the queues are empty and running jobs are done.</summary>
    public bool Burst { get; set; }

    /// <summary>Exit after this many jobs; null for no limit.</summary>
    public int? MaxJobs { get; set; }

    /// <summary>Also run the scheduler: promote due scheduled jobs and enqueue periodic tasks.</summary>
    public bool WithScheduler { get; set; }

    /// <summary>The worker's name; host, pid and a random part when null.</summary>
    public string? Name { get; set; }

    /// <summary>How often the worker refreshes its registration and its jobs' leases.</summary>
    /// <remarks>
    /// A lease lasts 1.5 intervals and live workers sweep for expired ones every half interval, so a job
    /// whose worker died is back in its queue within two intervals of the worker's last heartbeat.
    /// </remarks>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this many abandons (its worker died while running it) a job is failed as a poison pill.</summary>
    public int MaxAbandons { get; set; } = 3;

    /// <summary>On SIGTERM/SIGINT, how long running jobs get to finish before they are canceled and re-queued.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Longest the scheduler sleeps; it also wakes when a job is scheduled earlier, or at the next due job.</summary>
    /// <remarks>Jobs scheduled by RQ's Python producers send no wake-up, so they wait at most this long.</remarks>
    public TimeSpan SchedulerMaxSleep { get; set; } = TimeSpan.FromSeconds(5);

    internal TimeSpan Lease => HeartbeatInterval * 1.5;

    internal void Validate()
    {
        if (Queues.Count == 0) throw new ArgumentException("A worker needs at least one queue.");
        foreach (var queue in Queues)
        {
            if (string.IsNullOrWhiteSpace(queue) || queue.Contains(',')) throw new ArgumentException($"'{queue}' is not a valid queue name.");
        }
        if (Concurrency < 1) throw new ArgumentException($"Concurrency must be at least 1, not {Concurrency}.");
        if (MaxJobs is < 1) throw new ArgumentException($"MaxJobs must be at least 1, not {MaxJobs}.");
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(100)) throw new ArgumentException("HeartbeatInterval must be at least 100 ms.");
        if (MaxAbandons < 0) throw new ArgumentException("MaxAbandons cannot be negative.");
    }
}
