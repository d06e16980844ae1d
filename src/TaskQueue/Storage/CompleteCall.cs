using StackExchange.Redis;
using TaskQueue.Jobs;

namespace TaskQueue.Storage;

/// <summary>One call of the Complete script: the only place that lays out its ARGV (the list at the top of
/// Complete.lua), and the order its reply answers in.</summary>
/// <remarks>
/// Finished jobs go grouped by queue and by whether they returned a value, so the usual job (no value) costs one
/// ARGV value, its id: every value costs Redis a conversion, and the grouping was measured (bench/README.md). The
/// reply answers the finished jobs by their position among those sent, so <see cref="Sent"/> keeps, per position,
/// the index of the outcome it came from.
/// </remarks>
internal sealed class CompleteCall
{
    private CompleteCall(RedisValue[] arguments, int[] sent, int finishedCount, IReadOnlyList<JobOutcome> outcomes)
    {
        Arguments = arguments;
        Sent = sent;
        FinishedCount = finishedCount;
        Outcomes = outcomes;
    }

    public RedisValue[] Arguments { get; }

    /// <summary>Per position in the call (finished jobs first, then failed ones), the index of its outcome.</summary>
    public int[] Sent { get; }

    /// <summary>How many of <see cref="Sent"/> are finished jobs.</summary>
    public int FinishedCount { get; }

    public IReadOnlyList<JobOutcome> Outcomes { get; }

    /// <summary>The call recording <paramref name="outcomes"/> and starting up to <paramref name="fetch"/> jobs from
    /// <paramref name="queues"/>, at <paramref name="now"/>.</summary>
    public static CompleteCall Create(RedisKeys keys, CompleteSettings settings, string worker, IReadOnlyList<JobOutcome> outcomes,
        IReadOnlyList<string> queues, int fetch, DateTimeOffset now)
    {
        var wholeNow = RqTime.ToWholeScore(now);
        long resultTtl = RqTime.Seconds(settings.ResultTtl), failureTtl = RqTime.Seconds(settings.FailureTtl);
        var args = new List<RedisValue>(16 + queues.Count + outcomes.Count * 2)
        {
            keys.Prefix, worker, RqTime.ToIso(now), RqTime.ScoreText(RqTime.ToScore(now)), RqTime.ToWholeScoreCeiling(now + settings.Lease),
            settings.Streams ? 1 : 0, resultTtl, wholeNow + resultTtl, failureTtl, wholeNow + failureTtl,
            fetch, settings.MaxDataBytes, settings.WithEnqueuedAt ? 1 : 0, queues.Count,
        };
        foreach (var queue in queues) args.Add(queue);

        var sent = new int[outcomes.Count];
        var count = 0;
        var grouped = new bool[outcomes.Count];
        var groups = 0;
        var groupCountAt = args.Count;
        args.Add(0);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (grouped[i] || outcomes[i] is not JobSucceeded first) continue;
            var withResults = first.ResultJson is not null;
            var countAt = args.Count + 1;
            args.Add(first.Queue);
            args.Add(0);
            args.Add(withResults ? 1 : 0);
            var n = 0;
            for (var j = i; j < outcomes.Count; j++)
            {
                if (grouped[j] || outcomes[j] is not JobSucceeded same || same.Queue != first.Queue
                    || (same.ResultJson is not null) != withResults) continue;
                args.Add(same.JobId);
                if (same.ResultJson is { } result) args.Add(settings.Streams ? Convert.ToBase64String(result) : result);
                grouped[j] = true;
                sent[count++] = j;
                n++;
            }
            args[countAt] = n;
            groups++;
        }
        args[groupCountAt] = groups;
        var finished = count;

        var failuresAt = args.Count;
        args.Add(0);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is not JobFailed failed) continue;
            var exc = JobData.CompressText(failed.ExcInfo);
            args.Add(failed.RawId is { } raw ? raw : failed.JobId);
            args.Add(failed.Queue);
            args.Add(failed.Stopped ? "stopped" : "failed");
            args.Add(failed.MayRetry && !failed.Stopped ? 1 : 0);
            args.Add(exc);
            args.Add(settings.Streams ? Convert.ToBase64String(exc) : RedisValue.EmptyString);
            sent[count++] = i;
        }
        args[failuresAt] = count - finished;
        return new CompleteCall([.. args], sent, finished, outcomes);
    }
}

/// <summary>What every Complete call of a worker shares: retention defaults, the lease, the data limit, and whether
/// the server has streams.</summary>
internal sealed record CompleteSettings(TimeSpan ResultTtl, TimeSpan FailureTtl, TimeSpan Lease, int MaxDataBytes, bool Streams,
    bool WithEnqueuedAt = false);
