namespace TaskQueue.Jobs;

/// <summary>The states of a job; stored as the lowercase names, as RQ writes them.</summary>
/// <remarks>
/// <code><![CDATA[
/// enqueue ─> queued ──dequeue──> started ──ok──> finished   (kept result_ttl, default 500 s)
///   │          ^                    ├──error──> failed      (kept failure_ttl) ─ or retry: queued / scheduled
///   │          │                    ├──stop───> stopped
///   │          └── scheduler <─ scheduled (enqueue_at / enqueue_in / retry interval)
///   └─ depends_on unfinished ─> deferred ─(all parents finished)─> queued
/// cancel: queued|deferred|scheduled ─> canceled
/// started ─(lease expired: worker died)─> queued at the front, or failed after too many abandons
/// ]]></code>
/// </remarks>
public enum JobStatus
{
    Queued,
    Started,
    Finished,
    Failed,
    Deferred,
    Scheduled,
    Stopped,
    Canceled,
}

/// <summary>Converts <see cref="JobStatus"/> to and from RQ's text.</summary>
public static class JobStatusText
{
    public static string ToRq(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Started => "started",
        JobStatus.Finished => "finished",
        JobStatus.Failed => "failed",
        JobStatus.Deferred => "deferred",
        JobStatus.Scheduled => "scheduled",
        JobStatus.Stopped => "stopped",
        JobStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses RQ's status text; null for anything else (a hand-written job may have none).</summary>
    public static JobStatus? Parse(string? text) => text switch
    {
        "queued" => JobStatus.Queued,
        "started" => JobStatus.Started,
        "finished" => JobStatus.Finished,
        "failed" => JobStatus.Failed,
        "deferred" => JobStatus.Deferred,
        "scheduled" => JobStatus.Scheduled,
        "stopped" => JobStatus.Stopped,
        "canceled" => JobStatus.Canceled,
        _ => null,
    };

    /// <summary>True for the states a job does not leave by itself.</summary>
    public static bool IsFinal(this JobStatus status) =>
        status is JobStatus.Finished or JobStatus.Failed or JobStatus.Stopped or JobStatus.Canceled;
}
