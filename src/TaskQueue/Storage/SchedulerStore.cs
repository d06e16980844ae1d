using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Scheduling;

namespace TaskQueue.Storage;

/// <summary>The scheduler's transitions: PromoteDue and RQ's per-queue scheduler locks.</summary>
internal sealed class SchedulerStore(BrokerConnection broker, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    public RedisKeys Keys { get; } = new(options.Value.KeyPrefix);

    /// <summary>PromoteDue: moves due scheduled jobs to their queues; returns how many, and the next due time.</summary>
    public async Task<(int Promoted, DateTimeOffset? NextDue)> PromoteDueAsync(IReadOnlyList<string> queues, int limit = 1000,
        CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var args = new List<RedisValue> { Keys.Prefix, RqTime.ToIso(now), RqTime.ScoreText(RqTime.ToScore(now)), limit };
        foreach (var queue in queues) args.Add(queue);
        var reply = (RedisResult[])(await LuaScripts.Stored(nameof(LuaScripts.PromoteDue)).EvaluateAsync(redis.Database, [.. args]))!;
        DateTimeOffset? next = reply[1].IsNull ? null : RqTime.FromScore(double.Parse(reply[1].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        return ((int)(long)reply[0], next);
    }

    /// <summary>AcquireSchedulerLocks: takes or renews the locks; returns the queues this owner schedules now.</summary>
    public async Task<IReadOnlyList<string>> AcquireLocksAsync(string owner, TimeSpan ttl, IReadOnlyList<string> queues,
        CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, owner, RqTime.Seconds(ttl) };
        foreach (var queue in queues) args.Add(queue);
        var held = (RedisResult[])(await LuaScripts.Stored(nameof(LuaScripts.AcquireSchedulerLocks)).EvaluateAsync(redis.Database, [.. args]))!;
        return held.Select(h => h.ToString()).ToArray();
    }

    /// <summary>Publishes this process's periodic tasks in <c>rq:cron:entries</c> (one HSET), for CronControl.</summary>
    public async Task PublishCronAsync(IReadOnlyList<CronEntry> entries, CancellationToken cancellationToken = default)
    {
        if (entries.Count == 0) return;
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var fields = entries.Select(e => new HashEntry(e.Name, PublishedCron.Of(e, options.Value, now).ToJson())).ToArray();
        await redis.Database.HashSetAsync(Keys.CronEntries, fields);
    }

    /// <summary>ReleaseSchedulerLocks: gives up this owner's locks.</summary>
    public async Task ReleaseLocksAsync(string owner, IReadOnlyList<string> queues, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue> { Keys.Prefix, owner };
        foreach (var queue in queues) args.Add(queue);
        await LuaScripts.Stored(nameof(LuaScripts.ReleaseSchedulerLocks)).EvaluateAsync(redis.Database, [.. args]);
    }
}
