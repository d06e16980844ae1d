using StackExchange.Redis;
using TaskQueue.Jobs;

namespace TaskQueue.Storage;

/// <summary>What a Complete call did: whether workers are suspended, what it skipped instead of starting, what it
/// recorded for each outcome, the jobs it started, the queues it passed over because they are paused, and the queues
/// whose limits held jobs back. Read from the reply laid out at the top of Complete.lua.</summary>
internal sealed record CompleteReply(bool Suspended, IReadOnlyList<SkippedJob> Skipped, IReadOnlyList<Recording> Recorded,
    IReadOnlyList<StartedJob> Started, IReadOnlyList<string> Paused, IReadOnlyList<QueueThrottle> Throttled)
{
    /// <summary>The extra fields of a started job, by Dequeue's slot (FIELDS in Dequeue.lua; the last one is enqueued_at).</summary>
    private static readonly string[] ExtraSlots =
    [
        "timeout", "meta", "success_callback_name", "failure_callback_name", "stopped_callback_name", "abandoned_count",
        "result_ttl", "repeats_left", "retries_left", "retry_intervals", "failure_ttl", "traceparent", "tracestate", "enqueued_at",
    ];

    public static CompleteReply Read(CompleteCall call, RedisResult reply)
    {
        var parts = (RedisResult[])reply!;
        var recorded = new Recording[call.Outcomes.Count];
        for (var k = 0; k < call.FinishedCount; k++) recorded[call.Sent[k]] = Recording.Finished;
        var unclaimed = (RedisResult[])parts[2]!;
        for (var k = 0; k + 1 < unclaimed.Length; k += 2)
        {
            recorded[call.Sent[(int)unclaimed[k] - 1]] = Unclaimed(unclaimed[k + 1].ToString());
        }
        var failed = (RedisResult[])parts[3]!;
        for (var k = 0; k < failed.Length; k++)
        {
            recorded[call.Sent[call.FinishedCount + k]] = failed[k].ToString() switch
            {
                "failed" => Recording.Failed,
                "stopped" => Recording.Stopped,
                "queued" => Recording.Requeued,
                "scheduled" => Recording.Scheduled,
                var why => Unclaimed(why),
            };
        }
        var paused = (RedisResult[])parts[5]!;
        return new CompleteReply((long)parts[0] == 1, ReadSkipped((RedisResult[])parts[1]!), recorded, ReadStarted((RedisResult[])parts[4]!),
            paused.Length == 0 ? [] : paused.Select(p => p.ToString()).ToArray(), ReadThrottled((RedisResult[])parts[6]!));
    }

    private static QueueThrottle[] ReadThrottled(RedisResult[] flat)
    {
        if (flat.Length == 0) return [];
        var throttled = new QueueThrottle[flat.Length / 2];
        for (var k = 0; k < throttled.Length; k++)
        {
            var ms = (long)flat[2 * k + 1];
            throttled[k] = new QueueThrottle(flat[2 * k].ToString(), ms < 0 ? null : TimeSpan.FromMilliseconds(ms));
        }
        return throttled;
    }

    private static Recording Unclaimed(string why) => why == "e" ? Recording.EndedEarlier : Recording.NotOwned;

    private static SkippedJob[] ReadSkipped(RedisResult[] flat)
    {
        var skipped = new SkippedJob[flat.Length / 2];
        for (var k = 0; k < skipped.Length; k++) skipped[k] = SkippedJob.From(flat[2 * k].ToString(), flat[2 * k + 1].ToString());
        return skipped;
    }

    /// <summary>Dequeue's started jobs: per queue, its name, the job count n, then id and data per job, then the count
    /// of jobs with extra fields and per such job its row (1..n) and its extras by slot.</summary>
    private static StartedJob[] ReadStarted(RedisResult[] flat)
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
            for (var j = 0; j < n; j++, i += 2) jobs[k++] = StartedJob.FromReply((byte[])flat[i]!, queue, (byte[])flat[i + 1]!);
            var special = (int)(long)flat[i++];
            for (var j = 0; j < special; j++, i += 2)
            {
                var row = first + (int)(long)flat[i] - 1;
                var extras = (RedisResult[])flat[i + 1]!;
                jobs[row] = jobs[row].WithFields(name =>
                {
                    var slot = Array.IndexOf(ExtraSlots, name);
                    return slot < extras.Length && !extras[slot].IsNull && extras[slot].ToString() is { Length: > 0 } s ? s : null;
                });
            }
        }
        return jobs;
    }
}

/// <summary>What Complete recorded for one outcome.</summary>
internal enum Recording
{
    Finished,
    Failed,
    Stopped,
    /// <summary>Failed with retries left: back in its queue.</summary>
    Requeued,
    /// <summary>Failed with retries left after an interval: in the scheduled registry.</summary>
    Scheduled,
    /// <summary>This worker had recorded it already, in a call whose reply it never got.</summary>
    EndedEarlier,
    /// <summary>Not this worker's any more: its lease expired and another worker took it.</summary>
    NotOwned,
}

/// <summary>A queue entry Dequeue did not start: why, and, for a job failed on the spot, the reason it was given.</summary>
internal sealed record SkippedJob(string Id, SkipReason Reason, string? Detail)
{
    public static SkippedJob From(string id, string reason) => reason switch
    {
        "gone" => new(id, SkipReason.Gone, null),
        "not-queued" => new(id, SkipReason.NotQueued, null),
        "wrong-type" => new(id, SkipReason.WrongType, null),
        _ when reason.StartsWith("failed:", StringComparison.Ordinal) => new(id, SkipReason.Failed, reason[7..]),
        _ when reason.StartsWith("queue-wrong-type:", StringComparison.Ordinal) => new(id, SkipReason.QueueWrongType, reason[17..]),
        _ => new(id, SkipReason.Gone, reason),
    };
}

internal enum SkipReason
{
    /// <summary>The id's job hash is gone (its ttl expired while queued, or it was deleted): dropped, as RQ does.</summary>
    Gone,
    /// <summary>The job is not queued any more (canceled, or the id was queued twice): dropped.</summary>
    NotQueued,
    /// <summary>The job key holds something other than a hash: dropped, nothing to record it in.</summary>
    WrongType,
    /// <summary>The job can never run (no data, or data over the limit): failed with the reason in <see cref="SkippedJob.Detail"/>.</summary>
    Failed,
    /// <summary>The queue's key holds something other than a list (<see cref="SkippedJob.Detail"/> names the queue): not read.</summary>
    QueueWrongType,
}

/// <summary>A queue whose limits held back jobs a fetch could have taken: try it again after <see cref="RetryAfter"/>
/// (a rate limit), or, when null, once one of its running jobs has ended (a concurrency limit: no time is known).</summary>
internal sealed record QueueThrottle(string Queue, TimeSpan? RetryAfter);
