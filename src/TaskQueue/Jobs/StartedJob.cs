using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>A job the Dequeue step just started for this worker, with the fields needed to run it.</summary>
/// <remarks>The extra fields come in the order of their slots in Dequeue.lua's FIELDS.</remarks>
internal sealed record StartedJob(
    string Id, string Queue, byte[] Data, long? TimeoutSeconds, string? Meta,
    string? SuccessCallback, string? FailureCallback, string? StoppedCallback, int AbandonedCount, long? ResultTtlSeconds,
    int? RepeatsLeft)
{
    /// <summary>The W3C <c>traceparent</c> of the span that enqueued the job, when it has one.</summary>
    /// <remarks>With <see cref="TraceState"/>: the telemetry branch's stand-in (issue 14) for the same properties that
    /// the Dequeue change on main adds; read from Dequeue.lua's slots 9 and 10.</remarks>
    public string? TraceParent { get; init; }

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>The jobs of Dequeue's reply: per queue, its name, the job count n, then id and data per job, then the
    /// count of jobs with extra fields and per such job its row (1..n) and its extras.</summary>
    public static StartedJob[] ParseGroups(RedisResult[] flat)
    {
        var count = 0;
        for (var i = 0; i < flat.Length;)
        {
            var n = (int)(long)flat[i + 1];
            count += n;
            i += 2 + 2 * n;
            i += 1 + 2 * (int)(long)flat[i];
        }
        var jobs = new StartedJob[count];
        var k = 0;
        for (var i = 0; i < flat.Length;)
        {
            var queue = flat[i].ToString();
            var n = (int)(long)flat[i + 1];
            var first = k;
            i += 2;
            for (var j = 0; j < n; j++, i += 2)
            {
                jobs[k++] = new StartedJob(flat[i].ToString(), queue, (byte[])flat[i + 1]!, null, null, null, null, null, 0, null, null);
            }
            var special = (int)(long)flat[i++];
            for (var j = 0; j < special; j++, i += 2)
            {
                var row = first + (int)(long)flat[i] - 1;
                jobs[row] = WithExtras(jobs[row], (RedisResult[])flat[i + 1]!);
            }
        }
        return jobs;
    }

    private static StartedJob WithExtras(StartedJob job, RedisResult[] e)
    {
        string? Text(int i) => e[i].IsNull ? null : e[i].ToString() is { Length: > 0 } s ? s : null;
        long? Long(int i) => long.TryParse(Text(i), out var value) ? value : null;
        return job with
        {
            TimeoutSeconds = Long(0),
            Meta = Text(1),
            SuccessCallback = Text(2),
            FailureCallback = Text(3),
            StoppedCallback = Text(4),
            AbandonedCount = (int)(Long(5) ?? 0),
            ResultTtlSeconds = Long(6),
            RepeatsLeft = (int?)Long(7),
            TraceParent = e.Length > 8 ? Text(8) : null,
            TraceState = e.Length > 9 ? Text(9) : null,
        };
    }
}
