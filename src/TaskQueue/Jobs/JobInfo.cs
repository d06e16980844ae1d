using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Jobs;

/// <summary>A snapshot of one job as stored: its state, times, call, and outcome.</summary>
public sealed record JobInfo
{
    public required string Id { get; init; }
    public JobStatus? Status { get; init; }
    public string? Origin { get; init; }

    /// <summary>The job's description; RQ's call string (<c>task(args)</c>) when the job was enqueued without one.</summary>
    /// <remarks>Our producers always store one (see NewJob.Build); for a hand-written job without one it is derived from the call.</remarks>
    public string? Description { get; init; }

    /// <summary>The decoded call, or null when <see cref="DataError"/> says why it could not be decoded.</summary>
    public JobCall? Call { get; init; }
    public string? DataError { get; init; }

    /// <summary>When the job was enqueued by its producer; <see cref="EnqueuedAt"/> for a job that went straight to its queue,
    /// whose hash does not repeat it.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? EnqueuedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? LastHeartbeat { get; init; }
    public string? WorkerName { get; init; }

    /// <summary>The job's timeout; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none; null when unset.</summary>
    public TimeSpan? Timeout { get; init; }
    public TimeSpan? ResultTtl { get; init; }
    public TimeSpan? FailureTtl { get; init; }
    public TimeSpan? Ttl { get; init; }
    public int? RetriesLeft { get; init; }
    public IReadOnlyList<string> DependsOn { get; init; } = [];
    public int AbandonedCount { get; init; }

    /// <summary>The job's meta as a JSON object, or null when it has none.</summary>
    public JsonElement? Meta { get; init; }

    /// <summary>The result as JSON text, or null when the job has none (not finished, or returned nothing).</summary>
    public string? ResultJson { get; init; }

    /// <summary>The failure text (RQ's <c>exc_info</c>), or null.</summary>
    public string? ExcInfo { get; init; }

    /// <summary>Reads a job hash, and the latest entry of its results stream when the server has streams.</summary>
    internal static JobInfo Parse(string id, HashEntry[] hash, StreamEntry? latestResult)
    {
        var fields = hash.ToDictionary(e => e.Name.ToString(), e => e.Value);
        string? Text(string name) => fields.TryGetValue(name, out var v) && !v.IsNullOrEmpty ? v.ToString() : null;
        TimeSpan? Span(string name) => long.TryParse(Text(name), out var s) ? s < 0 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(s) : null;

        JobCall? call = null;
        string? dataError = null;
        if (fields.TryGetValue("data", out var data) && !data.IsNullOrEmpty)
        {
            try { call = JobData.Decode((byte[])data!); }
            catch (JobDataException e) { dataError = e.Message; }
        }
        else
        {
            dataError = "the job has no data field";
        }

        string? result = Text("result");
        // RQ's requeue clears exc_info to zlib(''): compressed, yet empty text.
        string? exc = fields.TryGetValue("exc_info", out var rawExc) && !rawExc.IsNullOrEmpty && JobData.DecodeText((byte[])rawExc!) is { Length: > 0 } hashExc
            ? hashExc
            : null;
        if (latestResult is { } entry)
        {
            var type = entry["type"].ToString();
            if (type == "1" && entry["return_value"] is { IsNull: false } value)
            {
                result = Encoding.UTF8.GetString(Convert.FromBase64String(value.ToString()));
            }
            else if (type != "1" && entry["exc_string"] is { IsNull: false } text)
            {
                exc = JobData.DecodeText(Convert.FromBase64String(text.ToString()));
            }
        }

        JsonElement? meta = null;
        if (Text("meta") is { } metaText)
        {
            try { meta = JsonDocument.Parse(metaText).RootElement.Clone(); }
            catch (JsonException) { meta = null; }
        }

        return new JobInfo
        {
            Id = id,
            Status = JobStatusText.Parse(Text("status")),
            Origin = Text("origin"),
            Description = Text("description") ?? (call is null ? null : JobDescription.Of(call)),
            Call = call,
            DataError = dataError,
            CreatedAt = RqTime.ParseIso(Text("created_at") ?? Text("enqueued_at")),
            EnqueuedAt = RqTime.ParseIso(Text("enqueued_at")),
            StartedAt = RqTime.ParseIso(Text("started_at")),
            EndedAt = RqTime.ParseIso(Text("ended_at")),
            LastHeartbeat = RqTime.ParseIso(Text("last_heartbeat")),
            WorkerName = Text("worker_name"),
            Timeout = Span("timeout"),
            ResultTtl = Span("result_ttl"),
            FailureTtl = Span("failure_ttl"),
            Ttl = Span("ttl"),
            RetriesLeft = int.TryParse(Text("retries_left"), out var left) ? left : null,
            DependsOn = ParseDependencies(Text("dependency_ids"), Text("dependency_id")),
            AbandonedCount = int.TryParse(Text("abandoned_count"), out var abandons) ? abandons : 0,
            Meta = meta,
            ResultJson = result,
            ExcInfo = exc,
        };
    }

    private static IReadOnlyList<string> ParseDependencies(string? ids, string? single)
    {
        if (ids is not null)
        {
            try { return JsonSerializer.Deserialize<string[]>(ids) ?? []; }
            catch (JsonException) { return []; }
        }
        return single is null ? [] : [single];
    }
}
