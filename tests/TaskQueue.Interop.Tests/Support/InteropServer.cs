using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Connection;

namespace TaskQueue.Interop.Tests.Support;

/// <summary>The real redis-server and Python RQ the suite runs against, checked once per run; and the server's
/// databases, handed out one per test.</summary>
/// <remarks>
/// Python RQ only knows the <c>rq:</c> prefix, so tests cannot keep apart by key prefix as the other suites do:
/// each test gets a database of its own instead (1 to the server's last; 0 is left to the other suites). A database
/// is taken only when it is empty or holds nothing but an earlier interop test's data (the <see cref="UsedKey"/>
/// marker), and is flushed when the test ends, so the suite never touches anyone else's keys. Missing prerequisites
/// fail every test with one message saying what to install and set: a suite that skipped would prove nothing.
/// </remarks>
public sealed class InteropServer : IAsyncDisposable
{
    public const string UrlVariable = "TASKQUEUE_INTEROP_REDIS_URL";
    public const string Python = "/usr/bin/python3";
    public const string RqCommand = "/usr/bin/rq";

    private const string LeaseKey = "taskq-interop:lease";
    private const string UsedKey = "taskq-interop:used";

    /// <summary>Takes a database: free when no test holds its lease and it is empty or only ours.
    /// Returns 1 when taken, 0 when a test holds it, -1 when it has someone else's keys.</summary>
    private const string ClaimScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        if redis.call('DBSIZE') > 0 and redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
        redis.call('FLUSHDB')
        redis.call('SET', KEYS[2], '1')
        redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
        return 1
        """;

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly ConnectionMultiplexer redis;
    private readonly int databases;

    public InteropServer()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(url)) missing.Add($"{UrlVariable} is not set");
        var rq = RunQuietly(Python, "-c", "import rq, redis; print(rq.__version__)");
        if (rq is null) missing.Add($"'{Python} -c \"import rq\"' failed (python3-rq is not installed)");
        else if (!rq.StartsWith("1.", StringComparison.Ordinal)) missing.Add($"Python RQ is {rq}; this suite checks the RQ 1.x layout");
        if (!File.Exists(RqCommand)) missing.Add($"{RqCommand} does not exist");
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "The interop suite runs against a real redis-server and Debian's Python RQ 1.13: " +
                "apt-get install -y redis-server python3-rq, start redis-server on a spare loopback port, and set " +
                $"{UrlVariable}=redis://127.0.0.1:PORT. Missing: {string.Join("; ", missing)}.");
        }

        RqVersion = rq!;
        var options = RedisUrl.Parse(url!);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = true;
        try
        {
            redis = ConnectionMultiplexer.Connect(options);
        }
        catch (RedisConnectionException e)
        {
            throw new InvalidOperationException($"{UrlVariable}={RedisUrl.Redact(url!)}: cannot connect ({e.Message}). Start redis-server there first.", e);
        }
        BaseUrl = new Uri(url!).GetLeftPart(UriPartial.Authority);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        databases = int.Parse(server.ConfigGet("databases").Single().Value);
        if (databases < 2) throw new InvalidOperationException($"{url} has {databases} database(s); the interop suite needs at least 2.");
    }

    /// <summary>The server's URL without a database number.</summary>
    public string BaseUrl { get; }

    /// <summary>Python RQ's version, as <c>rq.__version__</c> says.</summary>
    public string RqVersion { get; }

    /// <summary>Takes a database for one test; waits while other tests hold them all.</summary>
    public async Task<int> ClaimDatabaseAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var foreign = 0;
            for (var db = 1; db < databases; db++)
            {
                var claimed = (long)await redis.GetDatabase(db).ScriptEvaluateAsync(ClaimScript, [LeaseKey, UsedKey],
                    [$"{Environment.ProcessId}", (long)Lease.TotalSeconds]);
                if (claimed == 1) return db;
                if (claimed < 0) foreign++;
            }
            if (foreign == databases - 1)
            {
                throw new InvalidOperationException($"Every database 1-{databases - 1} of {BaseUrl} holds other data; " +
                                                    "the interop suite only takes empty ones. Give it a redis-server of its own.");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("No free database for an interop test within 2 minutes.");
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Empties a test's database and gives it back.</summary>
    public async Task ReleaseDatabaseAsync(int db) => await redis.GetDatabase(db).ExecuteAsync("FLUSHDB");

    /// <summary>A connection for reading and arranging keys directly.</summary>
    public IDatabase Database(int db) => redis.GetDatabase(db);

    private static string? RunQuietly(string file, params string[] args)
    {
        if (!File.Exists(file)) return null;
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit(30_000);
        return process.ExitCode == 0 ? text.Trim() : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (redis is not null) await redis.DisposeAsync();
    }
}
