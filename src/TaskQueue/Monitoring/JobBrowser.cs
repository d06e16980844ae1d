using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Monitoring;

/// <summary>Pages through the jobs of one queue in one state, and reads what a job page shows beyond the job itself.</summary>
/// <remarks>A page costs one LRANGE or ZRANGE by rank and one HMGET per job on it, pipelined, whatever the number of
/// jobs in the queue: never a KEYS or a scan.</remarks>
public sealed class JobBrowser(BrokerConnection broker, IOptions<TaskQueueOptions> options, TimeProvider time)
{
    private static readonly RedisValue[] SummaryFields =
        ["status", "description", "origin", "created_at", "enqueued_at", "started_at", "ended_at", "worker_name"];

    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>Jobs <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="count"/> - 1 of
    /// <paramref name="queue"/> in <paramref name="state"/>, and how many there are in all.</summary>
    /// <remarks>Waiting jobs come front first; started, deferred and scheduled ones by their score (lease, time
    /// deferred, due time); finished, failed and canceled ones newest first.</remarks>
    public async Task<JobPage> PageAsync(string queue, JobListState state, long offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var db = (await broker.GetAsync(cancellationToken)).Database;
        var stop = offset + count - 1;
        long total;
        string[] ids;
        double?[] scores;
        if (state == JobListState.Queued)
        {
            var key = keys.Queue(queue);
            var length = db.ListLengthAsync(key);
            var range = db.ListRangeAsync(key, offset, stop);
            total = await length;
            ids = (await range).Select(v => v.ToString()).ToArray();
            scores = new double?[ids.Length];
        }
        else
        {
            var key = keys.Registry(state.Registry(), queue);
            var newestFirst = state is JobListState.Finished or JobListState.Failed or JobListState.Canceled;
            var length = db.SortedSetLengthAsync(key);
            var range = db.SortedSetRangeByRankWithScoresAsync(key, offset, stop, newestFirst ? Order.Descending : Order.Ascending);
            total = await length;
            var entries = await range;
            ids = entries.Select(e => e.Element.ToString()).ToArray();
            scores = entries.Select(e => (double?)e.Score).ToArray();
        }
        return new JobPage(queue, state, offset, total, await SummariesAsync(db, ids, scores));
    }

    /// <summary>Short descriptions of the jobs <paramref name="ids"/>; a job whose hash is gone (expired, deleted)
    /// is listed with no status.</summary>
    public async Task<IReadOnlyList<JobSummary>> SummariesAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        return await SummariesAsync(db, ids, new double?[ids.Count]);
    }

    /// <summary>The ids of the jobs that wait on <paramref name="jobId"/> (its dependents set).</summary>
    public async Task<IReadOnlyList<string>> GetDependentsAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        return (await db.SetMembersAsync(keys.Dependents(jobId))).Select(v => v.ToString()).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>How long the job at the front of each queue has waited (since it was enqueued); queues with no
    /// waiting job are left out.</summary>
    /// <remarks>Two pipelined round trips for any number of queues: LINDEX 0 per queue, then HGET per front job.</remarks>
    public async Task<IReadOnlyDictionary<string, TimeSpan>> GetOldestAgesAsync(IReadOnlyList<string> queues, CancellationToken cancellationToken = default)
    {
        var db = (await broker.GetAsync(cancellationToken)).Database;
        var fronts = await Task.WhenAll(queues.Select(q => db.ListGetByIndexAsync(keys.Queue(q), 0)));
        var enqueued = await Task.WhenAll(fronts.Select(id => id.IsNull ? Task.FromResult(RedisValue.Null) : db.HashGetAsync(keys.Job(id.ToString()), "enqueued_at")));
        var now = time.GetUtcNow();
        var ages = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        for (var i = 0; i < queues.Count; i++)
        {
            if (RqTime.ParseIso(enqueued[i].ToString()) is { } at) ages[queues[i]] = now - at > TimeSpan.Zero ? now - at : TimeSpan.Zero;
        }
        return ages;
    }

    private async Task<IReadOnlyList<JobSummary>> SummariesAsync(IDatabaseAsync db, IReadOnlyList<string> ids, double?[] scores)
    {
        var reads = ids.Select(id => db.HashGetAsync(keys.Job(id), SummaryFields)).ToArray();
        await Task.WhenAll(reads);
        var summaries = new JobSummary[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var f = reads[i].Result;
            string? Text(int k) => f[k].IsNullOrEmpty ? null : f[k].ToString();
            summaries[i] = new JobSummary(ids[i], JobStatusText.Parse(Text(0)), Text(1), Text(2),
                RqTime.ParseIso(Text(3) ?? Text(4)), RqTime.ParseIso(Text(4)), RqTime.ParseIso(Text(5)), RqTime.ParseIso(Text(6)), Text(7),
                scores[i] is { } s && !double.IsInfinity(s) ? RqTime.FromScore(s) : null);
        }
        return summaries;
    }
}

/// <summary>The lists a queue's jobs are kept in: its waiting list and its registries.</summary>
public enum JobListState
{
    Queued,
    Started,
    Finished,
    Failed,
    Deferred,
    Scheduled,
    Canceled,
}

/// <summary>Converts <see cref="JobListState"/> to its registry and its text.</summary>
public static class JobListStates
{
    /// <summary>The registry that holds jobs in <paramref name="state"/>; not for <see cref="JobListState.Queued"/>.</summary>
    public static Registry Registry(this JobListState state) => state switch
    {
        JobListState.Started => Storage.Registry.Started,
        JobListState.Finished => Storage.Registry.Finished,
        JobListState.Failed => Storage.Registry.Failed,
        JobListState.Deferred => Storage.Registry.Deferred,
        JobListState.Scheduled => Storage.Registry.Scheduled,
        JobListState.Canceled => Storage.Registry.Canceled,
        _ => throw new ArgumentOutOfRangeException(nameof(state), "waiting jobs are in the queue's list, not in a registry"),
    };

    /// <summary>The state named <paramref name="text"/> (lowercase, as in URLs), or null.</summary>
    public static JobListState? Parse(string? text) =>
        Enum.TryParse<JobListState>(text, ignoreCase: true, out var state) && Enum.IsDefined(state) && !int.TryParse(text, out _) ? state : null;

    /// <summary>The lowercase name, as RQ names the states.</summary>
    public static string ToText(this JobListState state) => state.ToString().ToLowerInvariant();
}

/// <summary>One page of a queue's jobs in one state.</summary>
public sealed record JobPage(string Queue, JobListState State, long Offset, long Total, IReadOnlyList<JobSummary> Jobs);

/// <summary>What a list of jobs shows of each. <paramref name="Score"/> is the registry score as an instant (due time,
/// lease, expiry), when the list has one.</summary>
public sealed record JobSummary(string Id, JobStatus? Status, string? Description, string? Origin, DateTimeOffset? CreatedAt,
    DateTimeOffset? EnqueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? WorkerName, DateTimeOffset? Score);
