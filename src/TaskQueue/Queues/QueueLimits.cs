namespace TaskQueue.Queues;

/// <summary>How a queue's jobs may start, across all of our workers: at most <see cref="Rate"/> starts in any span of its
/// length, and at most <see cref="Concurrency"/> running at once. Null for no limit.</summary>
/// <remarks>
/// Enforced inside the fetch script (Dequeue), so a job is never taken only to be put back, and the jobs stay in
/// RQ's <c>rq:queue:&lt;name&gt;</c> list in their order. A worker held back is told when to try again and waits without
/// polling, taking jobs from its other queues meanwhile. A group or a task that needs its own limit gets its own queue.
/// RQ's workers reading the same queue know no limits: they take its jobs regardless, their starts do not count towards
/// the rate, but their running jobs do count towards the concurrency (RQ files them in the same started registry).
/// </remarks>
public sealed record QueueLimits
{
    /// <summary>The most a limit may say: jobs per interval, or jobs at once. Dequeue.lua holds the same number.</summary>
    public const int MaxCount = 1_000_000;

    /// <summary>The longest rate interval: one day. Dequeue.lua holds the same number (in ms).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);

    /// <summary>At most this many starts in any span of its interval; null for no rate limit.</summary>
    public RateLimit? Rate { get; init; }

    /// <summary>At most this many of the queue's jobs running at once (started, outcome not yet recorded); null for no limit.</summary>
    public int? Concurrency { get; init; }

    /// <summary>No limit at all.</summary>
    public static QueueLimits None { get; } = new();

    /// <summary>True when neither limit is set.</summary>
    public bool IsNone => Rate is null && Concurrency is null;

    /// <summary>What is wrong with these limits, one sentence each; empty when they can be stored.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Rate is { } rate)
        {
            if (rate.Count is < 1 or > MaxCount) problems.Add($"The rate's count must be from 1 to {MaxCount}, not {rate.Count}.");
            if (rate.Per < TimeSpan.FromMilliseconds(1) || rate.Per > MaxInterval || rate.Per.Ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                problems.Add($"The rate's interval must be whole milliseconds from 1 ms to one day, not {rate.Per}.");
            }
        }
        if (Concurrency is < 1 or > MaxCount) problems.Add($"The concurrency must be from 1 to {MaxCount}, not {Concurrency}.");
        return problems;
    }

    public override string ToString()
    {
        if (IsNone) return "no limits";
        var parts = new List<string>(2);
        if (Rate is { } rate) parts.Add(rate.ToString());
        if (Concurrency is { } most) parts.Add($"{most} at once");
        return string.Join(", ", parts);
    }
}

/// <summary>At most <paramref name="Count"/> job starts in any span of <paramref name="Per"/>.</summary>
public sealed record RateLimit(int Count, TimeSpan Per)
{
    public override string ToString() => $"{Count} per {Format(Per)}";

    private static string Format(TimeSpan span) => span switch
    {
        { TotalSeconds: < 1 } => $"{span.TotalMilliseconds:0}ms",
        { TotalMinutes: < 1 } => $"{span.TotalSeconds:0.###}s",
        { TotalHours: < 1 } => $"{span.TotalMinutes:0.###}m",
        _ => $"{span.TotalHours:0.###}h",
    };
}
