using TaskQueue.Monitoring;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Queues;

/// <summary>What <c>taskq info --json</c> prints. The field names are part of the CLI's contract: add fields,
/// never rename or remove them.</summary>
internal sealed record InfoReport(bool Suspended, IReadOnlyList<QueueReport> Queues, IReadOnlyList<WorkerReport> Workers);

/// <summary>A queue's job count per state (<c>queued</c> is the list; the rest are its registries).</summary>
internal sealed record QueueReport(string Name, long Queued, long Started, long Finished, long Failed, long Deferred, long Scheduled, long Canceled,
    bool Paused, LimitsReport Limits)
{
    public static QueueReport From(QueueCounts c) =>
        new(c.Queue, c.Queued, c.Started, c.Finished, c.Failed, c.Deferred, c.Scheduled, c.Canceled, c.Paused, LimitsReport.From(c.Limits));
}

/// <summary>A live worker as its RQ-layout hash describes it.</summary>
internal sealed record WorkerReport(
    string Name, string State, IReadOnlyList<string> Queues, string? CurrentJob, int? Pid, string? Hostname, string? Version,
    string? Birth, string? LastHeartbeat, long SuccessfulJobCount, long FailedJobCount, double TotalWorkingTime)
{
    public static WorkerReport From(WorkerInfo w) => new(w.Name, w.State, w.Queues, w.CurrentJob, w.Pid, w.Hostname, w.Version,
        Time(w.Birth), Time(w.LastHeartbeat), w.Successful, w.Failed, w.TotalWorkingSeconds);

    private static string? Time(DateTimeOffset? instant) => instant is { } value ? RqTime.ToIso(value) : null;
}
