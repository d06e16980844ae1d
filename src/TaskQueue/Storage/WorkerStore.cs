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

    /// <summary>Complete: records finished and failed jobs, then starts up to <paramref name="fetch"/> new ones (with
    /// their <c>enqueued_at</c> when <paramref name="withEnqueuedAt"/>, for queue-wait metrics).</summary>
    public async Task<CompleteReply> CompleteAsync(string worker, IReadOnlyList<JobOutcome> outcomes, IReadOnlyList<string> queues,
        int fetch, TimeSpan lease, bool withEnqueuedAt = false, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var call = CompleteCall.Create(Keys, new CompleteSettings(settings.DefaultResultTtl, settings.DefaultFailureTtl, lease,
            settings.MaxJobDataBytes, redis.Capabilities.Streams, withEnqueuedAt), worker, outcomes, queues, fetch, time.GetUtcNow());
        return CompleteReply.Read(call, await Complete.EvaluateAsync(redis.Database, call.Arguments));
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

    /// <summary>Reclaim: puts back the jobs this worker's lost calls started, that it does not hold
    /// (<paramref name="held"/>); returns how many.</summary>
    public async Task<int> ReclaimAsync(string worker, IReadOnlyList<string> queues, IReadOnlyCollection<string> held,
        CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue>(4 + queues.Count + held.Count) { Keys.Prefix, worker, RqTime.ToIso(time.GetUtcNow()), queues.Count };
        foreach (var queue in queues) args.Add(queue);
        foreach (var id in held) args.Add(id);
        return (int)(long)await LuaScripts.Stored(nameof(LuaScripts.Reclaim)).EvaluateAsync(redis.Database, [.. args]);
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

    /// <summary>SaveMeta: writes the meta of a job this worker runs; false when the job is no longer its.</summary>
    public async Task<bool> SaveMetaAsync(string worker, string jobId, string metaJson, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return (long)await LuaScripts.Stored(nameof(LuaScripts.SaveMeta)).EvaluateAsync(redis.Database, [Keys.Prefix, worker, jobId, metaJson]) == 1;
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

/// <summary>A worker's state and counters since its last heartbeat.</summary>
internal sealed record WorkerBeat(string Worker, string State, string? CurrentJob, long Succeeded, long Failed, double WorkingSeconds);
