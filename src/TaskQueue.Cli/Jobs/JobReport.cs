using System.Text.Json;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Jobs;

/// <summary>A job as <c>taskq job --json</c> prints it. The field names are RQ's and are part of the CLI's
/// contract: add fields, never rename or remove them.</summary>
internal sealed record JobReport(
    string Id,
    string? Status,
    string? Origin,
    string? Description,
    string? Task,
    string? DataError,
    string? CreatedAt,
    string? EnqueuedAt,
    string? StartedAt,
    string? EndedAt,
    string? LastHeartbeat,
    string? WorkerName,
    long? Timeout,
    long? ResultTtl,
    long? FailureTtl,
    long? Ttl,
    int? RetriesLeft,
    int AbandonedCount,
    IReadOnlyList<string> DependsOn,
    JsonElement? Meta,
    JsonElement? Result,
    string? ExcInfo)
{
    public static JobReport From(JobInfo job) => new(
        job.Id,
        job.Status?.ToRq(),
        job.Origin,
        job.Description,
        job.Call?.TaskName,
        job.DataError,
        Time(job.CreatedAt),
        Time(job.EnqueuedAt),
        Time(job.StartedAt),
        Time(job.EndedAt),
        Time(job.LastHeartbeat),
        job.WorkerName,
        Seconds(job.Timeout),
        Seconds(job.ResultTtl),
        Seconds(job.FailureTtl),
        Seconds(job.Ttl),
        job.RetriesLeft,
        job.AbandonedCount,
        job.DependsOn,
        job.Meta,
        ParseResult(job.ResultJson),
        job.ExcInfo);

    private static string? Time(DateTimeOffset? instant) => instant is { } value ? RqTime.ToIso(value) : null;

    /// <summary>Whole seconds as RQ stores them; -1 for forever.</summary>
    private static long? Seconds(TimeSpan? span) => span is not { } value ? null : value == System.Threading.Timeout.InfiniteTimeSpan ? -1 : RqTime.Seconds(value);

    private static JsonElement? ParseResult(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // A result some other writer stored as plain text: show it as a string rather than fail.
            return JsonSerializer.SerializeToElement(json, CliJson.Compact.String);
        }
    }
}
