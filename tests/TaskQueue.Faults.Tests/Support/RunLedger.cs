using StackExchange.Redis;
using TaskQueue.TestTasks;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>One test's view of the runs that <c>faults.record</c> counted on the ledger server, under a prefix of its own.</summary>
public sealed class RunLedger(RedisServer ledger, string prefix)
{
    /// <summary>The environment a worker needs for its <c>faults.record</c> jobs to count here.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        [FaultTasks.LedgerUrlVariable] = ledger.AdminUrl,
        [FaultTasks.LedgerPrefixVariable] = prefix,
    };

    /// <summary>Runs per job id (a job that never ran is missing).</summary>
    public async Task<Dictionary<string, int>> RunsAsync()
    {
        var entries = await ledger.Database.HashGetAllAsync(prefix + "runs");
        return entries.ToDictionary(e => e.Name.ToString(), e => (int)e.Value);
    }

    /// <summary>When each run started (Unix ms), oldest first, after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<(string JobId, DateTimeOffset Started)>> RunsSinceAsync(DateTimeOffset since)
    {
        var entries = await ledger.Database.SortedSetRangeByScoreWithScoresAsync(prefix + "ran", since.ToUnixTimeMilliseconds(), double.PositiveInfinity);
        return entries.Select(e =>
        {
            var member = e.Element.ToString();
            return (member[..member.LastIndexOf('#')], DateTimeOffset.FromUnixTimeMilliseconds((long)e.Score));
        }).ToList();
    }
}
