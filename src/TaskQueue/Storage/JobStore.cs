using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Queues;
using TaskQueue.Telemetry;

namespace TaskQueue.Storage;

/// <summary>The producer-side transitions (Enqueue, Cancel, Requeue, Delete, EnqueueCron) and reading a job back.</summary>
/// <remarks>Each method runs one script: it is the only place that orders that script's ARGV.</remarks>
public sealed class JobStore(BrokerConnection broker, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    private readonly TaskQueueOptions settings = options.Value;

    public RedisKeys Keys { get; } = new(options.Value.KeyPrefix);

    private static readonly StoredScript Enqueue = LuaScripts.Stored(nameof(LuaScripts.Enqueue));

    /// <summary>Enqueue: new jobs -> queued, deferred or scheduled; one script call per batch, batches pipelined. A job whose
    /// chosen id a live job holds, left be as its <see cref="OnConflict"/> says, comes back <see cref="Enqueued.Held"/>
    /// with that job's status.</summary>
    internal async Task<IReadOnlyList<Enqueued>> EnqueueAsync(IReadOnlyList<NewJob> jobs, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var (nowIso, nowScore) = (RqTime.ToIso(now), RqTime.ScoreText(RqTime.ToScore(now)));
        var size = Math.Max(1, settings.EnqueueBatchSize);
        var calls = new List<Task<RedisResult>>((jobs.Count + size - 1) / size);
        // Several calls are pipelined behind the script's text, so that none can come back NOSCRIPT and be retried
        // out of order (see StoredScript).
        if (jobs.Count > size) Enqueue.LoadAhead(redis.Database);
        for (var start = 0; start < jobs.Count; start += size)
        {
            var args = EnqueueArguments(jobs, start, Math.Min(size, jobs.Count - start), nowIso, nowScore);
            calls.Add(Enqueue.EvaluateAsync(redis.Database, args));
        }

        var statuses = new List<Enqueued>(jobs.Count);
        foreach (var call in calls)
        {
            foreach (var letter in (string)(await call.WaitAsync(cancellationToken))!)
            {
                statuses.Add(letter switch
                {
                    'd' => new(JobStatus.Deferred, false),
                    's' => new(JobStatus.Scheduled, false),
                    'Q' => new(JobStatus.Queued, true),
                    'D' => new(JobStatus.Deferred, true),
                    'S' => new(JobStatus.Scheduled, true),
                    'R' => new(JobStatus.Started, true),
                    _ => new(JobStatus.Queued, false),
                });
            }
        }
        return statuses;
    }

    /// <summary>The Enqueue script's ARGV for <paramref name="count"/> jobs from <paramref name="start"/> (see Enqueue.lua):
    /// each run of plain jobs (<see cref="NewJob.IsPlain"/>) with one trace context as its length (and that context)
    /// and then three values per job, any other job whole, in their order. Only jobs of the first job's queue go as plain.</summary>
    /// <remarks>A run carries its trace context once, since all its jobs share the producer's span: Redis executed 27.6k
    /// instructions per job of a traced bulk enqueue so (24.8k untraced, the two fields' HSET work), 75k when traced
    /// jobs went whole (callgrind, 3,000 jobs).</remarks>
    private RedisValue[] EnqueueArguments(IReadOnlyList<NewJob> jobs, int start, int count, string nowIso, string nowScore)
    {
        var queue = jobs[start].Queue;
        var args = new List<RedisValue>(6 + count * 3) { Keys.Prefix, nowIso, nowScore, queue };
        var (run, runCount) = (-1, 0); // where the open run's length goes in args, and its length so far
        TraceContext? runTrace = null;
        for (var i = start; i < start + count; i++)
        {
            var job = jobs[i];
            if (job.IsPlain && job.Queue == queue)
            {
                if (run >= 0 && job.Trace != runTrace) (args[run], run) = (runCount, -1);
                if (run < 0)
                {
                    args.Add(job.Trace is null ? "p" : "t");
                    (run, runCount, runTrace) = (args.Count, 0, job.Trace);
                    args.Add(RedisValue.Null); // the run's length, set when it closes
                    if (job.Trace is { } trace)
                    {
                        args.Add(trace.Parent);
                        args.Add(trace.State ?? "");
                    }
                }
                runCount++;
                args.Add(job.Id);
                args.Add(job.Data);
                args.Add(job.Description);
                continue;
            }
            if (run >= 0) (args[run], run) = (runCount, -1);
            args.Add("j");
            job.AppendTo(args);
        }
        if (run >= 0) args[run] = runCount;
        return [.. args];
    }

    /// <summary>EnqueueCron: enqueues the job of one periodic-task tick unless a scheduler already did or the entry is paused.</summary>
    internal async Task<CronTickOutcome> EnqueueCronAsync(string entry, DateTimeOffset tick, NewJob job, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var now = time.GetUtcNow();
        var args = new List<RedisValue> { Keys.Prefix, RqTime.ToIso(now), RqTime.ScoreText(RqTime.ToScore(now)), entry, tick.ToUnixTimeSeconds() };
        job.AppendTo(args);
        return (long)await LuaScripts.Stored(nameof(LuaScripts.EnqueueCron)).EvaluateAsync(redis.Database, [.. args]) switch
        {
            1 => CronTickOutcome.Enqueued,
            2 => CronTickOutcome.Paused,
            _ => CronTickOutcome.AlreadyEnqueued,
        };
    }

    /// <summary>Cancel: queued | deferred | scheduled -> canceled.</summary>
    public async Task<CancelOutcome> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var result = await LuaScripts.Stored(nameof(LuaScripts.Cancel)).EvaluateAsync(redis.Database, [Keys.Prefix, id, RqTime.ScoreText(RqTime.ToScore(time.GetUtcNow()))]);
        if (result.IsNull) return new CancelOutcome(false, null);
        return result.Resp2Type == ResultType.Integer
            ? new CancelOutcome(true, JobStatus.Canceled)
            : new CancelOutcome(false, JobStatusText.Parse(result.ToString()));
    }

    /// <summary>Requeue: failed | stopped | canceled -> queued.</summary>
    public async Task<IReadOnlyList<RequeueOutcome>> RequeueAsync(IReadOnlyList<string> ids, bool atFront = false, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0) return [];
        var redis = await broker.GetAsync(cancellationToken);
        var args = new List<RedisValue>(ids.Count + 3) { Keys.Prefix, RqTime.ToIso(time.GetUtcNow()), atFront ? 1 : 0 };
        args.AddRange(ids.Select(id => (RedisValue)id));
        var flat = (RedisResult[])(await LuaScripts.Stored(nameof(LuaScripts.Requeue)).EvaluateAsync(redis.Database, [.. args]))!;
        var outcomes = new List<RequeueOutcome>(ids.Count);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            var outcome = flat[i + 1].ToString();
            outcomes.Add(new RequeueOutcome(flat[i].ToString(), outcome == "queued", outcome == "missing" ? null : JobStatusText.Parse(outcome)));
        }
        return outcomes;
    }

    /// <summary>Empty: deletes every job waiting in <paramref name="queue"/>; returns how many.</summary>
    public async Task<long> EmptyAsync(string queue, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return (long)await LuaScripts.Stored(nameof(LuaScripts.Empty)).EvaluateAsync(redis.Database, [Keys.Prefix, queue]);
    }

    /// <summary>Delete: removes a job wherever it is (queue, registries, hash, results, dependency edges).</summary>
    /// <returns>The status it had (null for a hash without one), or <see cref="DeleteOutcome.Missing"/> when there was no such job.</returns>
    public async Task<DeleteOutcome> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var result = await LuaScripts.Stored(nameof(LuaScripts.Delete)).EvaluateAsync(redis.Database, [Keys.Prefix, id]);
        return result.IsNull ? DeleteOutcome.Missing : new DeleteOutcome(true, JobStatusText.Parse(result.ToString()));
    }

    /// <summary>Pauses a queue: workers take none of its jobs (their running ones finish) until it is resumed or
    /// <paramref name="duration"/> has passed; producers still enqueue.</summary>
    /// <remarks>Ours only: RQ's workers know no paused queues and go on taking its jobs.</remarks>
    public async Task PauseAsync(string queue, TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        await redis.Database.StringSetAsync(Keys.Paused(queue), 1, duration is { } ttl ? new Expiration(ttl) : Expiration.Default);
    }

    /// <summary>Resumes a paused queue; returns false when it was not paused. Idle workers take its jobs within a
    /// couple of seconds (their idle wait), busy ones at their next fetch.</summary>
    public async Task<bool> ResumeAsync(string queue, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return await redis.Database.KeyDeleteAsync(Keys.Paused(queue));
    }

    /// <summary>Replaces a queue's limits (<see cref="QueueLimits.None"/> removes them); workers obey them from their next fetch.</summary>
    /// <exception cref="ArgumentException">The limits are out of bounds (<see cref="QueueLimits.Problems"/>).</exception>
    public async Task SetLimitsAsync(string queue, QueueLimits limits, CancellationToken cancellationToken = default)
    {
        if (limits.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(limits));
        var redis = await broker.GetAsync(cancellationToken);
        var fields = new List<HashEntry>(3);
        if (limits.Rate is { } rate)
        {
            fields.Add(new HashEntry("rate", rate.Count));
            fields.Add(new HashEntry("per", (long)rate.Per.TotalMilliseconds));
        }
        if (limits.Concurrency is { } most) fields.Add(new HashEntry("concurrency", most));
        // One MULTI: a fetch never sees the old limits half replaced.
        var transaction = redis.Database.CreateTransaction();
        _ = transaction.KeyDeleteAsync(Keys.Limits(queue));
        if (fields.Count > 0) _ = transaction.HashSetAsync(Keys.Limits(queue), [.. fields]);
        await transaction.ExecuteAsync();
    }

    /// <summary>A queue's limits as the fetch script reads them (a field out of bounds counts as unset, as there).</summary>
    public async Task<QueueLimits> GetLimitsAsync(string queue, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return ReadLimits(await redis.Database.HashGetAsync(Keys.Limits(queue), ["rate", "per", "concurrency"]));
    }

    /// <summary>Limits from the <c>rate</c>, <c>per</c> and <c>concurrency</c> fields of a queue's limits hash.</summary>
    internal static QueueLimits ReadLimits(RedisValue[] fields)
    {
        static int? Whole(RedisValue value, long max) =>
            long.TryParse(value.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 1 && n <= max ? (int)n : null;
        var count = Whole(fields[0], QueueLimits.MaxCount);
        var per = Whole(fields[1], (long)QueueLimits.MaxInterval.TotalMilliseconds);
        return new QueueLimits
        {
            Rate = count is { } c && per is { } ms ? new RateLimit(c, TimeSpan.FromMilliseconds(ms)) : null,
            Concurrency = Whole(fields[2], QueueLimits.MaxCount),
        };
    }

    /// <summary>Reads a job, with its latest result; null when there is no such job.</summary>
    public async Task<JobInfo?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var hashTask = redis.Database.HashGetAllAsync(Keys.Job(id));
        var streamTask = redis.Capabilities.Streams
            ? redis.Database.StreamRangeAsync(Keys.Results(id), "-", "+", count: 1, messageOrder: Order.Descending)
            : Task.FromResult(Array.Empty<StreamEntry>());
        var hash = await hashTask;
        var stream = await streamTask;
        if (hash.Length == 0) return null;
        return JobInfo.Parse(id, hash, stream.Length > 0 ? stream[0] : null);
    }

    /// <summary>Reads only a job's status; null when there is no such job.</summary>
    public async Task<JobStatus?> GetStatusAsync(string id, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var status = await redis.Database.HashGetAsync(Keys.Job(id), "status");
        return status.IsNull ? null : JobStatusText.Parse(status.ToString());
    }
}

/// <summary>What EnqueueCron did with one tick.</summary>
public enum CronTickOutcome
{
    Enqueued,

    /// <summary>Another scheduler enqueued this tick first.</summary>
    AlreadyEnqueued,

    /// <summary>The entry is paused: the tick was skipped.</summary>
    Paused,
}

/// <summary>What Delete did: whether the job existed, and the status it had.</summary>
public sealed record DeleteOutcome(bool Deleted, JobStatus? Status)
{
    /// <summary>There was no such job.</summary>
    public static readonly DeleteOutcome Missing = new(false, null);
}

/// <summary>What Cancel did: canceled, or why not (the job's status; null when there is no such job).</summary>
public sealed record CancelOutcome(bool Canceled, JobStatus? Status);

/// <summary>What Requeue did to one job: queued again, or why not (its status; null when it does not exist).</summary>
public sealed record RequeueOutcome(string JobId, bool Requeued, JobStatus? Status);

/// <summary>What Enqueue did with one job: the status it got, or, when <paramref name="Held"/>, the status of the live
/// job that holds its chosen id and was left as it was.</summary>
internal readonly record struct Enqueued(JobStatus Status, bool Held);
