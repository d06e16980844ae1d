using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Monitoring;

/// <summary>Finds jobs by id, task name or argument text: a server-side scan in bounded steps, resumable with a cursor.</summary>
/// <remarks>
/// Why a scan and not an index: an index written at enqueue would cost every producer, on the hot path, for a
/// page a person opens now and then, and would miss jobs written by RQ. A scan costs nothing until someone
/// searches. Each step (the SearchJobs script) looks at <see cref="KeysPerStep"/> keys, so the server is never
/// blocked for long; steps repeat until enough jobs are found or the time budget is spent, and the cursor lets the
/// next request go on where this one stopped. An exact job id is looked up directly first.
/// </remarks>
public sealed class JobSearch(BrokerConnection broker, IOptions<TaskQueueOptions> options, JobBrowser browser, TimeProvider time)
{
    /// <summary>Keys looked at per script call: a few milliseconds of server time each.</summary>
    public const int KeysPerStep = 1000;

    /// <summary>The longest text searched for.</summary>
    public const int MaxQueryLength = 200;

    private static readonly StoredScript Script = LuaScripts.Stored(nameof(LuaScripts.SearchJobs));

    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>Jobs whose id, description or plain-JSON data contains <paramref name="query"/> (ASCII case ignored),
    /// from <paramref name="cursor"/> on (null: from the start), until <paramref name="limit"/> are found or
    /// <paramref name="budget"/> (default 1 s) is spent.</summary>
    /// <exception cref="ArgumentException">The query is blank or longer than <see cref="MaxQueryLength"/>.</exception>
    public async Task<SearchResult> SearchAsync(string query, string? cursor = null, int limit = 50, TimeSpan? budget = null,
        CancellationToken cancellationToken = default)
    {
        var text = query.Trim();
        if (text.Length == 0) throw new ArgumentException("The search text is empty.", nameof(query));
        if (text.Length > MaxQueryLength) throw new ArgumentException($"The search text is longer than {MaxQueryLength} characters.", nameof(query));
        if (cursor is not null && !ulong.TryParse(cursor, out _)) throw new ArgumentException("The search cursor is not a number.", nameof(cursor));
        var needle = AsciiLower(text);
        var db = (await broker.GetAsync(cancellationToken)).Database;
        var started = time.GetTimestamp();
        var ids = new List<string>();
        // The exact id first, so a pasted id is found at once, whatever the scan order.
        if (cursor is null && await db.KeyExistsAsync(keys.Job(text)) && await db.KeyTypeAsync(keys.Job(text)) == RedisType.Hash) ids.Add(text);
        var next = cursor ?? "0";
        long scanned = 0;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reply = (RedisResult[])(await Script.EvaluateAsync(db, [keys.Prefix, next, KeysPerStep, needle]))!;
            next = reply[0].ToString();
            scanned += (long)reply[1];
            for (var i = 2; i < reply.Length; i++)
            {
                var id = reply[i].ToString();
                if (id != text || ids.Count == 0 || ids[0] != text) ids.Add(id);
            }
        }
        while (next != "0" && ids.Count < limit && time.GetElapsedTime(started) < (budget ?? TimeSpan.FromSeconds(1)));

        var jobs = await browser.SummariesAsync(ids, cancellationToken);
        return new SearchResult(text, jobs, next == "0" ? null : next, scanned, time.GetElapsedTime(started));
    }

    // Lua's string.lower only folds ASCII; folding more here would miss matches there.
    private static string AsciiLower(string text) => string.Create(text.Length, text, static (span, t) =>
    {
        for (var i = 0; i < t.Length; i++) span[i] = t[i] is >= 'A' and <= 'Z' ? (char)(t[i] + 32) : t[i];
    });
}

/// <summary>What one search request found: the jobs, the cursor to go on from (null when the scan is complete), how
/// many keys it looked at and how long it took.</summary>
public sealed record SearchResult(string Query, IReadOnlyList<JobSummary> Jobs, string? NextCursor, long Scanned, TimeSpan Elapsed);
