namespace TaskQueue.Health;

/// <summary>What the TaskQueue health check tests and where its thresholds are.</summary>
public sealed class TaskQueueHealthOptions
{
    /// <summary>How long the broker has to answer a PING (connecting included) before it counts as unreachable.</summary>
    /// <remarks>The first check of a process also connects: 2 s was seen to run out on a loaded 2-core machine.</remarks>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A worker of this process is unhealthy once this many of its heartbeat intervals pass without a
    /// successful heartbeat (its jobs' leases last 1.5 intervals, so by then another worker may take them).</summary>
    public int MissedHeartbeats { get; set; } = 3;

    /// <summary>The queues the thresholds apply to; null for every known queue (up to the first 100 by name).</summary>
    public IList<string>? Queues { get; set; }

    /// <summary>Degraded when the job next in line in a queue has waited longer than this; null for no threshold.</summary>
    public TimeSpan? DegradedQueueAge { get; set; }

    /// <summary>Unhealthy when the job next in line in a queue has waited longer than this; null for no threshold.</summary>
    public TimeSpan? UnhealthyQueueAge { get; set; }

    /// <summary>Degraded when a queue holds more jobs than this; null for no threshold.</summary>
    public long? DegradedQueueLength { get; set; }

    /// <summary>Unhealthy when a queue holds more jobs than this; null for no threshold.</summary>
    public long? UnhealthyQueueLength { get; set; }

    internal bool HasQueueThresholds => DegradedQueueAge is not null || UnhealthyQueueAge is not null
                                        || DegradedQueueLength is not null || UnhealthyQueueLength is not null;
}
