namespace TaskQueue.Jobs;

/// <summary>How a job run ended, as the worker hands it to the Complete script (see <c>CompleteCall</c>).</summary>
internal abstract record JobOutcome(string JobId, string Queue);

/// <summary>The task returned; <paramref name="ResultJson"/> is its value as JSON, or null for none.
/// <paramref name="ResultTtlSeconds"/> is the job's own result TTL, for the log line only.</summary>
internal sealed record JobSucceeded(string JobId, string Queue, byte[]? ResultJson, long? ResultTtlSeconds = null) : JobOutcome(JobId, Queue);

/// <summary>The task threw, timed out, could not run, or was stopped. <paramref name="RawId"/> names a job whose id is
/// not UTF-8 by its stored bytes.</summary>
internal sealed record JobFailed(string JobId, string Queue, string ExcInfo, bool Stopped, bool MayRetry, byte[]? RawId = null)
    : JobOutcome(JobId, Queue);
