using StackExchange.Redis;
using TaskQueue.Tasks;

namespace TaskQueue.TestTasks;

/// <summary>Tasks for the fault suite (<c>tests/TaskQueue.Faults.Tests</c>): each run is counted on a ledger server of
/// the suite's own, named by <see cref="LedgerUrlVariable"/> in the worker's environment, so "run twice" is measured
/// out of reach of the faults done to the queue's server.</summary>
public static class FaultTasks
{
    /// <summary>The ledger server's URL.</summary>
    public const string LedgerUrlVariable = "TASKQ_FAULTS_LEDGER_URL";

    /// <summary>The prefix of the ledger keys: <c>PREFIXruns</c> (hash: job id → runs) and <c>PREFIXran</c>
    /// (sorted set: <c>id#n</c> scored by the run's start, Unix ms).</summary>
    public const string LedgerPrefixVariable = "TASKQ_FAULTS_LEDGER_PREFIX";

    private const string RecordScript = """
        local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1] .. '#' .. n)
        return n
        """;

    private static readonly Lazy<ConnectionMultiplexer> Ledger = new(() =>
    {
        var url = Environment.GetEnvironmentVariable(LedgerUrlVariable)
                  ?? throw new InvalidOperationException($"{LedgerUrlVariable} is not set: faults.record has no ledger to count on");
        var options = Connection.RedisUrl.Parse(url);
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(options);
    });

    /// <summary>Counts this run on the ledger, then sleeps <paramref name="seconds"/> (so jobs are in flight when a fault hits).</summary>
    [Task("faults.record")]
    public static async Task<int> RecordAsync(JobContext job, double seconds = 0, CancellationToken cancellationToken = default)
    {
        var prefix = Environment.GetEnvironmentVariable(LedgerPrefixVariable) ?? "";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long runs;
        while (true)
        {
            try
            {
                runs = (long)await Ledger.Value.GetDatabase().ScriptEvaluateAsync(RecordScript, [prefix + "runs", prefix + "ran"], [job.JobId, now]);
                break;
            }
            catch (Exception e) when (e is RedisException or TimeoutException && DateTime.UtcNow < deadline)
            {
                // The ledger is never faulted, but a machine this busy can time a call out: count the run all the same.
                await Task.Delay(100, cancellationToken);
            }
        }
        if (seconds > 0) await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return (int)runs;
    }

    /// <summary>The length of a string: for big arguments, without keeping them as a result.</summary>
    [Task("faults.length")]
    public static int Length(string value) => value.Length;
}
