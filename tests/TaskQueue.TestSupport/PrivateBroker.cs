using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using TaskQueue.Embedded;

namespace TaskQueue.TestSupport;

/// <summary>A broker for one test alone, of the kind the run uses: a <c>redis-server</c> on a free loopback port when
/// <c>TASKQUEUE_TEST_REDIS_URL</c> names a real Redis (CI's second pass), else an embedded Garnet; both count commands
/// for <c>INFO COMMANDSTATS</c>.</summary>
/// <remarks>For checks on what the whole server did (commands per second): on the shared test broker, suites running
/// at the same time (other test projects, on CI's one redis-server) would be counted too.</remarks>
public sealed class PrivateBroker : IAsyncDisposable
{
    private readonly EmbeddedBroker? embedded;
    private readonly ChildProcess? server;
    private ConnectionMultiplexer? connection;

    private PrivateBroker(string url, EmbeddedBroker? embedded, ChildProcess? server)
    {
        Url = url;
        this.embedded = embedded;
        this.server = server;
    }

    public string Url { get; }

    /// <summary>True for a redis-server, false for the embedded Garnet.</summary>
    public bool IsRedis => server is not null;

    /// <summary>Starts a broker; a real-Redis run with no <c>redis-server</c> on the PATH fails, it never falls back.</summary>
    public static async Task<PrivateBroker> StartAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestBroker.UrlVariable)))
        {
            var broker = EmbeddedBroker.Start(commandStats: true);
            return new PrivateBroker(broker.Url, broker, null);
        }
        var port = FreePort();
        var process = ChildProcess.Start("redis-server", "redis-server",
            ["--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"]);
        var started = new PrivateBroker($"redis://127.0.0.1:{port}", null, process);
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                await started.ConnectAsync();
                return true;
            }
            catch (RedisConnectionException)
            {
                return !process.HasExited ? false : throw new InvalidOperationException($"redis-server exited: {process.Output}");
            }
        }, "the private redis-server to answer", TimeSpan.FromSeconds(20));
        return started;
    }

    /// <summary>Calls of <paramref name="commands"/> since the server started, from <c>INFO COMMANDSTATS</c>.</summary>
    /// <remarks>Name the commands clients send: Redis counts the commands a script runs under their own names as well
    /// (a script's HGET is an HGET), Garnet does not.</remarks>
    public async Task<long> CommandCallsAsync(params string[] commands)
    {
        var info = await CommandStatsAsync();
        long calls = 0;
        foreach (var line in info.Split('\n'))
        {
            // cmdstat_evalsha:calls=12,usec=...
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var at = line.IndexOf("calls=", StringComparison.Ordinal);
            if (!line.StartsWith("cmdstat_", StringComparison.OrdinalIgnoreCase) || colon < 0 || at < 0) continue;
            if (!commands.Contains(line[8..colon], StringComparer.OrdinalIgnoreCase)) continue;
            var end = line.IndexOfAny([',', '\r'], at);
            calls += long.Parse(line[(at + 6)..(end < 0 ? line.Length : end)], CultureInfo.InvariantCulture);
        }
        if (calls == 0) throw new InvalidOperationException($"INFO COMMANDSTATS counted none of {string.Join(", ", commands)}; it answered: {info}");
        return calls;
    }

    /// <summary>The server's <c>INFO COMMANDSTATS</c> text.</summary>
    public async Task<string> CommandStatsAsync() =>
        (string?)await (await ConnectAsync()).GetDatabase().ExecuteAsync("INFO", "commandstats") ?? "";

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (connection is not null) return connection;
        var options = ConfigurationOptions.Parse(Url.Replace("redis://", ""));
        options.AllowAdmin = true;
        return connection = await ConnectionMultiplexer.ConnectAsync(options);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        embedded?.Dispose();
        if (server is not null) await server.DisposeAsync();
    }
}
