using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Monitoring;

/// <summary>The last hour of throughput (finished and failed jobs per time bucket) and queue ages, kept in Redis.</summary>
/// <remarks>
/// Workers add their per-heartbeat counts to the bucket of the beat (the Heartbeat script), so the history covers
/// every worker, ours on any host, and outlives a dashboard restart; it costs one command per beat, not per job.
/// Queue ages are sampled by whoever calls <see cref="RecordQueueAgesAsync"/> (the dashboard, every bucket).
/// A bucket is a hash <c>rq:stats:&lt;epoch s&gt;</c> with the fields <c>finished</c>, <c>failed</c> and
/// <c>age:&lt;queue&gt;</c> (seconds), expiring a little after <see cref="Retention"/>.
/// </remarks>
public sealed class StatsHistory(BrokerConnection broker, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    /// <summary>The width of one bucket.</summary>
    public static readonly TimeSpan BucketSize = TimeSpan.FromSeconds(10);

    /// <summary>How long a bucket is kept: the hour a dashboard shows, and a margin for clocks that differ.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(65);

    private const string AgePrefix = "age:";

    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>The start (epoch s) of the bucket holding <paramref name="instant"/>.</summary>
    public static long BucketOf(DateTimeOffset instant)
    {
        var seconds = instant.ToUnixTimeSeconds();
        var size = (long)BucketSize.TotalSeconds;
        return seconds - seconds % size;
    }

    /// <summary>The buckets from <paramref name="since"/> (or the last hour when null) up to now, oldest first; a
    /// bucket nothing was recorded in has zero counts.</summary>
    /// <remarks>One HGETALL per bucket, pipelined: 360 for a whole hour, one or two for a poll that asks for the
    /// buckets since its last one.</remarks>
    public async Task<IReadOnlyList<StatsBucket>> GetAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var last = BucketOf(now);
        var oldest = BucketOf(now - TimeSpan.FromHours(1));
        var first = since is { } from ? Math.Max(BucketOf(from), oldest) : oldest;
        var size = (long)BucketSize.TotalSeconds;
        var starts = new List<long>();
        for (var b = first; b <= last; b += size) starts.Add(b);
        var reads = starts.Select(b => redis.Database.HashGetAllAsync(keys.Stats(b))).ToArray();
        await Task.WhenAll(reads);
        var buckets = new List<StatsBucket>(starts.Count);
        for (var i = 0; i < starts.Count; i++) buckets.Add(Parse(starts[i], reads[i].Result));
        return buckets;
    }

    /// <summary>Writes the age of each queue's oldest waiting job into the current bucket.</summary>
    public async Task RecordQueueAgesAsync(IReadOnlyDictionary<string, TimeSpan> ages, CancellationToken cancellationToken = default)
    {
        if (ages.Count == 0) return;
        var redis = await broker.GetAsync(cancellationToken);
        var key = keys.Stats(BucketOf(time.GetUtcNow()));
        var fields = ages.Select(a => new HashEntry(AgePrefix + a.Key, Math.Round(a.Value.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture))).ToArray();
        var batch = redis.Database.CreateBatch();
        var set = batch.HashSetAsync(key, fields);
        var expire = batch.KeyExpireAsync(key, Retention);
        batch.Execute();
        await Task.WhenAll(set, expire);
    }

    private static StatsBucket Parse(long start, HashEntry[] hash)
    {
        long finished = 0, failed = 0;
        var ages = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in hash)
        {
            var name = entry.Name.ToString();
            if (name == "finished") finished = (long)entry.Value;
            else if (name == "failed") failed = (long)entry.Value;
            else if (name.StartsWith(AgePrefix, StringComparison.Ordinal)
                     && double.TryParse(entry.Value.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                ages[name[AgePrefix.Length..]] = seconds;
            }
        }
        return new StatsBucket(DateTimeOffset.FromUnixTimeSeconds(start), finished, failed, ages);
    }
}

/// <summary>One time bucket of <see cref="StatsHistory"/>: jobs finished and failed in it, and the sampled age in
/// seconds of each queue's oldest waiting job.</summary>
public sealed record StatsBucket(DateTimeOffset Start, long Finished, long Failed, IReadOnlyDictionary<string, double> QueueAges);
