using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Queues;
using TaskQueue.Storage;

namespace TaskQueue.Monitoring;

/// <summary>The read side: queues with their counts, and workers with their state, as <c>taskq info</c> and
/// dashboards show them. It never sits in a worker's processing path.</summary>
public sealed class QueueMonitor(BrokerConnection broker, IOptions<TaskQueueOptions> options)
{
    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>Every known queue (from <c>rq:queues</c>) with its counts, sorted by name.</summary>
    public async Task<IReadOnlyList<QueueCounts>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var names = (await redis.Database.SetMembersAsync(keys.Queues))
            .Select(k => keys.QueueName(k.ToString())).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        return await Task.WhenAll(names.Select(n => CountAsync(redis.Database, n)));
    }

    /// <summary>The most queues <see cref="GetBacklogAsync"/> reads when it is not given their names.</summary>
    public const int BacklogLimit = 100;

    /// <summary>Each queue's length and when the job next in line was enqueued: the queues named, or else the first
    /// <see cref="BacklogLimit"/> known queues by name.</summary>
    /// <remarks>Three pipelined round trips whatever the number of queues, and no scan: the queue set, a length and
    /// a head per queue, then the heads' <c>enqueued_at</c>. The head is the job popped next, the oldest one except
    /// when jobs were put at the front.</remarks>
    public async Task<IReadOnlyList<QueueBacklog>> GetBacklogAsync(IReadOnlyList<string>? queues = null, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var db = redis.Database;
        var names = queues ?? (await db.SetMembersAsync(keys.Queues))
            .Select(k => keys.QueueName(k.ToString())).OfType<string>().Order(StringComparer.Ordinal).Take(BacklogLimit).ToArray();
        var lengths = names.Select(n => db.ListLengthAsync(keys.Queue(n))).ToArray();
        var heads = names.Select(n => db.ListGetByIndexAsync(keys.Queue(n), 0)).ToArray();
        await Task.WhenAll(heads);
        var enqueued = heads.Select(h => h.Result.IsNull ? Task.FromResult(RedisValue.Null) : db.HashGetAsync(keys.Job(h.Result.ToString()), "enqueued_at")).ToArray();
        await Task.WhenAll(enqueued.Concat<Task>(lengths));
        var backlog = new QueueBacklog[names.Count];
        for (var i = 0; i < backlog.Length; i++)
        {
            backlog[i] = new QueueBacklog(names[i], lengths[i].Result, enqueued[i].Result.IsNull ? null : RqTime.ParseIso(enqueued[i].Result.ToString()));
        }
        return backlog;
    }

    /// <summary>The counts of one queue.</summary>
    public async Task<QueueCounts> GetQueueAsync(string name, CancellationToken cancellationToken = default) =>
        await CountAsync((await broker.GetAsync(cancellationToken)).Database, name);

    /// <summary>The ids in one registry of a queue, oldest score first, up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> GetRegistryAsync(string queue, Registry registry, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var ids = await redis.Database.SortedSetRangeByRankAsync(keys.Registry(registry, queue), 0, limit - 1);
        return ids.Select(i => i.ToString()).ToArray();
    }

    /// <summary>The ids waiting in a queue, front first, up to <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<string>> GetQueuedAsync(string queue, int limit = 1000, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return (await redis.Database.ListRangeAsync(keys.Queue(queue), 0, limit - 1)).Select(i => i.ToString()).ToArray();
    }

    /// <summary>Live workers (from <c>rq:workers</c>), ours and RQ's alike.</summary>
    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var workerKeys = await redis.Database.SetMembersAsync(keys.Workers);
        var hashes = await Task.WhenAll(workerKeys.Select(k => redis.Database.HashGetAllAsync(k.ToString())));
        var workers = new List<WorkerInfo>(workerKeys.Length);
        for (var i = 0; i < workerKeys.Length; i++)
        {
            if (hashes[i].Length == 0) continue;
            workers.Add(WorkerInfo.Parse(keys.WorkerName(workerKeys[i].ToString()), hashes[i]));
        }
        return workers.OrderBy(w => w.Name, StringComparer.Ordinal).ToArray();
    }

    private async Task<QueueCounts> CountAsync(IDatabaseAsync db, string queue)
    {
        var queued = db.ListLengthAsync(keys.Queue(queue));
        var paused = db.KeyExistsAsync(keys.Paused(queue));
        var limits = db.HashGetAsync(keys.Limits(queue), ["rate", "per", "concurrency"]);
        var registries = Enum.GetValues<Registry>().Select(r => db.SortedSetLengthAsync(keys.Registry(r, queue))).ToArray();
        await Task.WhenAll(registries.Append<Task>(queued).Append(paused).Append(limits));
        return new QueueCounts(queue, queued.Result, registries[(int)Registry.Started].Result, registries[(int)Registry.Finished].Result,
            registries[(int)Registry.Failed].Result, registries[(int)Registry.Deferred].Result, registries[(int)Registry.Scheduled].Result,
            registries[(int)Registry.Canceled].Result) { Paused = paused.Result, Limits = JobStore.ReadLimits(limits.Result) };
    }
}

/// <summary>A queue's length and when the job next in line was enqueued (null when it is empty, or that job has no
/// readable <c>enqueued_at</c>).</summary>
public sealed record QueueBacklog(string Queue, long Length, DateTimeOffset? OldestEnqueuedAt)
{
    /// <summary>How long the job next in line has waited at <paramref name="now"/>; zero for an empty queue.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => OldestEnqueuedAt is { } at && now > at ? now - at : TimeSpan.Zero;
}

/// <summary>How many jobs a queue holds in each state.</summary>
public sealed record QueueCounts(string Queue, long Queued, long Started, long Finished, long Failed, long Deferred, long Scheduled, long Canceled)
{
    /// <summary>Whether the queue is paused (workers take none of its jobs).</summary>
    public bool Paused { get; init; }

    /// <summary>The queue's rate and concurrency limits.</summary>
    public QueueLimits Limits { get; init; } = QueueLimits.None;
}

/// <summary>A worker as its hash describes it (RQ's fields).</summary>
public sealed record WorkerInfo(string Name, string State, IReadOnlyList<string> Queues, string? CurrentJob, int? Pid, string? Hostname,
    string? Version, DateTimeOffset? Birth, DateTimeOffset? LastHeartbeat, long Successful, long Failed, double TotalWorkingSeconds)
{
    internal static WorkerInfo Parse(string name, HashEntry[] hash)
    {
        var f = hash.ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        string? Get(string k) => f.TryGetValue(k, out var v) && v.Length > 0 ? v : null;
        return new WorkerInfo(name, Get("state") ?? "?", (Get("queues") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), Get("current_job"),
            int.TryParse(Get("pid"), out var pid) ? pid : null, Get("hostname"), Get("version"), RqTime.ParseIso(Get("birth")),
            RqTime.ParseIso(Get("last_heartbeat")), long.TryParse(Get("successful_job_count"), out var ok) ? ok : 0,
            long.TryParse(Get("failed_job_count"), out var bad) ? bad : 0,
            double.TryParse(Get("total_working_time"), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : 0);
    }
}
