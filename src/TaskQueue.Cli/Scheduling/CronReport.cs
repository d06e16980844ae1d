using TaskQueue.Scheduling;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Scheduling;

/// <summary>One periodic task as <c>taskq cron list --json</c> prints it (times as RQ's ISO-8601 text, null when unknown).</summary>
internal sealed record CronReport(string Name, string Expression, string TimeZone, string Queue, string Task, string Description,
    bool Paused, string? LastRun, string? NextRun, string PublishedAt)
{
    public static CronReport From(CronEntryState s) =>
        new(s.Name, s.Expression, s.TimeZone, s.Queue, s.TaskName, s.Description, s.Paused,
            s.LastRun is { } last ? RqTime.ToIso(last) : null, s.NextRun is { } next ? RqTime.ToIso(next) : null, RqTime.ToIso(s.PublishedAt));
}
