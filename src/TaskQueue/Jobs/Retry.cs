namespace TaskQueue.Jobs;

/// <summary>How often a failed job is tried again, and how long to wait before each try.</summary>
/// <remarks>
/// As in RQ: with fewer intervals than retries the first interval repeats; with none, retries happen at once.
/// Intervals are stored as whole seconds, so RQ's workers read them too. No intervals means one of zero, as RQ's
/// <c>Retry(max)</c> has it: RQ's worker indexes the stored list on every retry, and an empty one crashes it.
/// </remarks>
public sealed record Retry
{
    public Retry(int max, params TimeSpan[] intervals)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, JobLimits.MaxRetries);
        foreach (var interval in intervals)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero, nameof(intervals));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(interval, TimeSpan.FromSeconds(JobLimits.MaxSeconds), nameof(intervals));
        }
        Max = max;
        Intervals = intervals.Length > 0 ? intervals : [TimeSpan.Zero];
    }

    /// <summary>How many times a failure is retried.</summary>
    public int Max { get; }

    /// <summary>The waits before the retries.</summary>
    public IReadOnlyList<TimeSpan> Intervals { get; }

    /// <summary><paramref name="max"/> retries with exponential backoff: first, first×2, first×4...</summary>
    public static Retry Exponential(int max, TimeSpan first) =>
        new(max, Enumerable.Range(0, max).Select(i => first * Math.Pow(2, i)).ToArray());
}
