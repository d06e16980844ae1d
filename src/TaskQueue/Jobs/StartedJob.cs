using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Jobs;

/// <summary>A job the Dequeue step just started for this worker, with the fields needed to run it.</summary>
/// <remarks>Only fields a job hash holds beyond the usual ones come back from Dequeue (see <c>CompleteReply</c>); a
/// job without them keeps the defaults here.</remarks>
internal sealed record StartedJob(string Id, string Queue, byte[] Data)
{
    /// <summary>The job's own timeout in seconds; null for RQ's default (180 s); zero or less for none, as in RQ.</summary>
    public long? TimeoutSeconds { get; init; }
    public string? Meta { get; init; }
    public string? SuccessCallback { get; init; }
    public string? FailureCallback { get; init; }
    public string? StoppedCallback { get; init; }
    public int AbandonedCount { get; init; }
    public long? ResultTtlSeconds { get; init; }

    /// <summary>RQ 2.x's Repeat count, which this worker refuses to run.</summary>
    public int? RepeatsLeft { get; init; }

    /// <summary>The W3C trace context of the code that enqueued the job, when it was traced.</summary>
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }

    /// <summary>When the job was queued; read only when asked for (queue-wait metrics).</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>Why the job's own fields forbid running it (a number out of range, a list that does not parse), or null.</summary>
    /// <remarks>A job may come from Python, a script or a person with redis-cli: the worker checks what it will act on
    /// before it runs the job, and fails it with this reason instead (no retry: the job would fail the same way).</remarks>
    public string? Problem { get; init; }

    /// <summary>The id exactly as stored, when it is not UTF-8 (then <see cref="Id"/> is only its readable form and
    /// <see cref="Problem"/> says so): the outcome must name the job by these bytes.</summary>
    public byte[]? RawId { get; init; }

    /// <summary>A job from Dequeue's reply; an id that is not UTF-8 makes it one that cannot run.</summary>
    /// <remarks>Checked here rather than in the script, where a byte scan per job cost Redis 5 % of its work per job.</remarks>
    public static StartedJob FromReply(byte[] id, string queue, byte[] data) =>
        System.Text.Unicode.Utf8.IsValid(id)
            ? new StartedJob(System.Text.Encoding.UTF8.GetString(id), queue, data)
            : new StartedJob(System.Text.Encoding.UTF8.GetString(id), queue, data) { RawId = id, Problem = "its id is not valid UTF-8" };

    /// <summary>The job with the extra hash fields Dequeue returned, checked; <paramref name="field"/> gives each
    /// field's raw value by name (null when absent).</summary>
    public StartedJob WithFields(Func<string, string?> field)
    {
        var problems = new List<string>();
        var timeout = Seconds(field, "timeout", problems, allowBelowMinusOne: true);
        var resultTtl = Seconds(field, "result_ttl", problems);
        Seconds(field, "failure_ttl", problems);
        var retries = field("retries_left");
        if (retries is not null && !(long.TryParse(retries, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var left)
                                     && left is >= 0 and <= JobLimits.MaxRetries))
        {
            problems.Add($"retries_left '{Clip(retries)}' is not a whole number from 0 to {JobLimits.MaxRetries}");
        }
        if (field("retry_intervals") is { } intervals && !AreIntervals(intervals))
        {
            problems.Add($"retry_intervals '{Clip(intervals)}' is not a JSON list of whole seconds from 0 to {JobLimits.MaxSeconds}");
        }
        var meta = field("meta");
        if (meta is not null && !IsJsonObject(meta)) problems.Add($"meta '{Clip(meta)}' is not a JSON object");
        return this with
        {
            TimeoutSeconds = timeout,
            Meta = meta,
            SuccessCallback = field("success_callback_name"),
            FailureCallback = field("failure_callback_name"),
            StoppedCallback = field("stopped_callback_name"),
            AbandonedCount = int.TryParse(field("abandoned_count"), CultureInfo.InvariantCulture, out var abandons) && abandons > 0 ? abandons : 0,
            ResultTtlSeconds = resultTtl,
            RepeatsLeft = int.TryParse(field("repeats_left"), CultureInfo.InvariantCulture, out var repeats) ? repeats : null,
            TraceParent = field("traceparent"),
            TraceState = field("tracestate"),
            EnqueuedAt = Storage.RqTime.ParseIso(field("enqueued_at")),
            Problem = Problem is { } earlier ? problems.Count == 0 ? earlier : earlier + "; " + string.Join("; ", problems)
                : problems.Count == 0 ? null : string.Join("; ", problems),
        };
    }

    /// <summary>A seconds field: null when absent; when it is not a whole number within <see cref="JobLimits"/>, a
    /// problem is noted. RQ's timeout takes any value up to the limit, zero or less meaning none.</summary>
    private static long? Seconds(Func<string, string?> field, string name, List<string> problems, bool allowBelowMinusOne = false)
    {
        if (field(name) is not { Length: > 0 } text) return null;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= JobLimits.MaxSeconds && (allowBelowMinusOne || seconds >= -1))
        {
            return seconds;
        }
        problems.Add($"{name} '{Clip(text)}' is not a whole number of seconds {(allowBelowMinusOne ? "up" : "from -1")} to {JobLimits.MaxSeconds}");
        return null;
    }

    private static bool AreIntervals(string text)
    {
        if (text.Length == 0) return true;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return false;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (!item.TryGetInt64(out var seconds) || seconds < 0 || seconds > JobLimits.MaxSeconds) return false;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A field's value as shown in a reason: at most 40 characters.</summary>
    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
