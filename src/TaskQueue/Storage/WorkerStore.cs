using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;

namespace TaskQueue.Storage;

/// <summary>The worker-side transitions: Complete (finish/fail + dequeue), Heartbeat, Release, RequeueAbandoned,
/// worker registration and registry cleaning.</summary>
internal sealed class WorkerStore(BrokerConnection broker, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    private readonly TaskQueueOptions settings = options.Value;

    public RedisKeys Keys { get; } = new(options.Value.KeyPrefix);

    private static readonly StoredScript Complete = LuaScripts.Stored(nameof(LuaScripts.Complete));

    /// <summary>Complete: records finished and failed jobs, then starts up to <paramref name="fetch"/> new ones.</summary>
    public async Task<CompleteResult> CompleteAsync(string worker, IReadOnlyList<JobOutcome> outcomes, IReadOnlyList<string> queues,
        int fetch, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var streams = redis.Capabilities.Streams;
        var now = time.GetUtcNow();
        var wholeNow = RqTime.ToWholeScore(now);
        long resultTtl = RqTime.Seconds(settings.DefaultResultTtl), failureTtl = RqTime.Seconds(settings.DefaultFailureTtl);
        var args = new List<RedisValue>(16 + queues.Count + outcomes.Count * 2)
        {
            Keys.Prefix, worker, RqTime.ToIso(now), Score(now), RqTime.ToWholeScoreCeiling(now + lease), streams ? 1 : 0,
            resultTtl, wholeNow + resultTtl, failureTtl, wholeNow + failureTtl, fetch, queues.Count,
        };
        foreach (var queue in queues) args.Add(queue);

        // Finished jobs grouped by queue and by whether they have a result (usually one group: no results); order[k] is
        // the outcome index of the k-th one sent.
        var order = new int[outcomes.Count];
        var grouped = new bool[outcomes.Count];
        var sent = 0;
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
                same.AppendTo(args, streams);
                grouped[j] = true;
                order[sent++] = j;
                n++;
            }
            args[countAt] = n;
            groups++;
        }
        args[groupCountAt] = groups;
        var finishedCount = sent;
        var failures = 0;
        var failuresAt = args.Count;
        args.Add(0);
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (outcomes[i] is not JobFailed failed) continue;
            failed.AppendTo(args, streams);
            order[sent++] = i;
            failures++;
        }
        args[failuresAt] = failures;

        var reply = (RedisResult[])(await Complete.EvaluateAsync(redis.Database, [.. args]))!;
        var recorded = new string[outcomes.Count];
        for (var k = 0; k < finishedCount; k++) recorded[order[k]] = "1";
        foreach (var lost in (RedisResult[])reply[2]!) recorded[order[(int)(long)lost - 1]] = "0";
        var failedResults = (RedisResult[])reply[3]!;
        for (var k = finishedCount; k < sent; k++)
        {
            // Fail answers the job's new status, or 0 when the job is no longer ours.
            var value = failedResults[k - finishedCount];
            recorded[order[k]] = value.Resp2Type == ResultType.Integer ? "0" : value.ToString();
        }
        return new CompleteResult((long)reply[0] == 1, (int)(long)reply[1], recorded, StartedJob.ParseGroups((RedisResult[])reply[4]!));
    }

    /// <summary>Heartbeat: refreshes the worker's hash and the leases of its jobs; returns the ids it has lost.</summary>
    public async Task<IReadOnlyList<string>> HeartbeatAsync(WorkerBeat beat, IReadOnlyList<string> queues,
        IReadOnlyCollection<(string Queue, string JobId)> running, TimeSpan lease, TimeSpan workerTtl, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var args = new List<RedisValue>(14 + queues.Count + running.Count * 2)
        {
            Keys.Prefix, beat.Worker, RqTime.ToIso(now), RqTime.ToWholeScoreCeiling(now + lease), RqTime.Seconds(workerTtl), beat.State, beat.CurrentJob ?? "",
            beat.Succeeded, beat.Failed, beat.WorkingSeconds.ToString("0.######", CultureInfo.InvariantCulture),
            Monitoring.StatsHistory.BucketOf(now), RqTime.Seconds(Monitoring.StatsHistory.Retention), queues.Count,
        };
        foreach (var queue in queues) args.Add(queue);
        foreach (var (queue, id) in running)
        {
            args.Add(queue);
            args.Add(id);
        }
        var lost = (RedisResult[])(await LuaScripts.Stored(nameof(LuaScripts.Heartbeat)).EvaluateAsync(redis.Database, [.. args]))!;
        return lost.Select(r => r.ToString()).ToArray();
    }

    /// <summary>RegisterWorker: announces the worker in RQ's layout.</summary>
    public async Task RegisterAsync(string worker, IReadOnlyList<string> queues, IReadOnlyList<KeyValuePair<string, string>> fields,
        TimeSpan workerTtl, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, worker, RqTime.Seconds(workerTtl), queues.Count };
        foreach (var queue in queues) args.Add(queue);
        foreach (var (name, value) in fields)
        {
            args.Add(name);
            args.Add(value);
        }
        await LuaScripts.Stored(nameof(LuaScripts.RegisterWorker)).EvaluateAsync(redis.Database, [.. args]);
    }

    /// <summary>UnregisterWorker: takes the worker out of the worker sets.</summary>
    public async Task UnregisterAsync(string worker, IReadOnlyList<string> queues, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, worker, RqTime.ToIso(time.GetUtcNow()) };
        foreach (var queue in queues) args.Add(queue);
        await LuaScripts.Stored(nameof(LuaScripts.UnregisterWorker)).EvaluateAsync(redis.Database, [.. args]);
    }

    /// <summary>Release: hands unfinished jobs back to the front of their queues.</summary>
    public async Task<int> ReleaseAsync(string worker, IReadOnlyCollection<(string Queue, string JobId)> jobs, CancellationToken cancellationToken = default)
    {
        if (jobs.Count == 0) return 0;
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, worker, RqTime.ToIso(time.GetUtcNow()) };
        foreach (var (queue, id) in jobs)
        {
            args.Add(queue);
            args.Add(id);
        }
        return (int)(long)await LuaScripts.Stored(nameof(LuaScripts.Release)).EvaluateAsync(redis.Database, [.. args]);
    }

    /// <summary>RequeueAbandoned: re-queues jobs whose lease expired; fails those abandoned too often.</summary>
    public async Task<IReadOnlyList<(string JobId, JobStatus Status)>> RequeueAbandonedAsync(IReadOnlyList<string> queues, int maxAbandons,
        int limit = 100, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var streams = redis.Capabilities.Streams;
        var excText = $"AbandonedJobError: the job's worker stopped heartbeating while running it, more than {maxAbandons} time(s); " +
                      "it is failed instead of being run again.";
        var exc = JobData.CompressText(excText);
        var args = new List<RedisValue>
        {
            Keys.Prefix, RqTime.ToIso(now), Score(now), maxAbandons, limit, streams ? 1 : 0,
            RqTime.Seconds(settings.DefaultFailureTtl), exc, streams ? Convert.ToBase64String(exc) : "",
        };
        foreach (var queue in queues) args.Add(queue);
        var flat = (RedisResult[])(await LuaScripts.Stored(nameof(LuaScripts.RequeueAbandoned)).EvaluateAsync(redis.Database, [.. args]))!;
        var moved = new List<(string, JobStatus)>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            moved.Add((flat[i].ToString(), flat[i + 1].ToString() == "failed" ? JobStatus.Failed : JobStatus.Queued));
        }
        return moved;
    }

    /// <summary>CleanRegistries: drops finished/failed registry entries whose time is up.</summary>
    public async Task<long> CleanRegistriesAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, Score(time.GetUtcNow()) };
        foreach (var queue in queues) args.Add(queue);
        return (long)await LuaScripts.Stored(nameof(LuaScripts.CleanRegistries)).EvaluateAsync(redis.Database, [.. args]);
    }

    private static RedisValue Score(DateTimeOffset instant) => RqTime.ScoreText(RqTime.ToScore(instant));
}

/// <summary>What Complete did: whether workers are suspended, how many dead ids it dropped, per outcome what
/// was recorded ("1", "0" when the job was no longer ours, or the failed job's new status), and the started jobs.</summary>
internal sealed record CompleteResult(bool Suspended, int Dropped, IReadOnlyList<string> Recorded, IReadOnlyList<StartedJob> Started);

/// <summary>A worker's state and counters since its last heartbeat.</summary>
internal sealed record WorkerBeat(string Worker, string State, string? CurrentJob, long Succeeded, long Failed, double WorkingSeconds);
