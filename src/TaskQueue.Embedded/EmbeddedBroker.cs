using System.Net;
using System.Net.Sockets;
using Garnet;

namespace TaskQueue.Embedded;

/// <summary>An in-process, Redis-compatible broker (Microsoft Garnet) listening on loopback.</summary>
/// <remarks>
/// It exists so that a fresh machine can run the whole system and its tests with nothing installed.
/// Lua scripting is on (every TaskQueue transition is a script). With a data folder, writes go to an
/// append-only log there and are replayed at the next start, so queued jobs survive a restart.
/// Garnet has no streams: TaskQueue detects that at connect and keeps results in the job hash.
/// </remarks>
public sealed class EmbeddedBroker : IDisposable
{
    private readonly GarnetServer server;

    private EmbeddedBroker(GarnetServer server, int port, string? dataDirectory)
    {
        this.server = server;
        Port = port;
        DataDirectory = dataDirectory;
    }

    /// <summary>The loopback port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>The folder holding the append-only log, or null when the broker keeps nothing on disk.</summary>
    public string? DataDirectory { get; }

    /// <summary>The connection URL clients use, e.g. <c>redis://127.0.0.1:6379</c>.</summary>
    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Starts a broker on 127.0.0.1.</summary>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="dataDirectory">Where to keep the append-only log; null keeps everything in memory.</param>
    /// <param name="memory">Main-log memory, in Garnet's size syntax (e.g. <c>256m</c>).</param>
    /// <param name="commandStats">Count calls per command for <c>INFO COMMANDSTATS</c> (Garnet's <c>--commandstats-monitor</c>;
    /// off by default, as it costs every command a little).</param>
    public static EmbeddedBroker Start(int port = 0, string? dataDirectory = null, string memory = "256m", bool commandStats = false)
    {
        // A port picked here can be taken by someone else before Garnet binds it; retry a few times.
        for (var attempt = 0; ; attempt++)
        {
            var chosen = port == 0 ? FreeLoopbackPort() : port;
            try
            {
                var server = new GarnetServer(BuildArguments(chosen, dataDirectory, memory, commandStats));
                server.Start();
                return new EmbeddedBroker(server, chosen, dataDirectory);
            }
            catch (Exception e) when (port == 0 && attempt < 5 && IsAddressInUse(e))
            {
            }
        }
    }

    /// <summary>The Garnet command-line arguments this broker starts with.</summary>
    internal static string[] BuildArguments(int port, string? dataDirectory, string memory, bool commandStats = false)
    {
        var args = new List<string>
        {
            "--bind", "127.0.0.1",
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--lua",
            // Garnet's defaults size it as a cache server (16 GB of log memory); a job broker needs far less.
            "--memory", memory,
            "--index", "16m",
            "--page", "1m",
            // Debian 12 lacks libaio.so.1, which the native device needs.
            "--device-type", "RandomAccess",
            "-q",
        };
        if (commandStats) args.Add("--commandstats-monitor");
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            args.AddRange(
            [
                "--aof",
                "--aof-memory", "16m",
                "--aof-page-size", "4m",
                // Commit the log every 10 ms: a crash loses at most that much, at far less cost than per write.
                "--aof-commit-freq", "10",
                "--checkpointdir", dataDirectory,
                "--recover",
            ]);
        }
        return [.. args];
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsAddressInUse(Exception e) =>
        e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || e.InnerException is not null && IsAddressInUse(e.InnerException);

    /// <summary>Stops the broker; with a data folder, what was written is committed to its log first.</summary>
    /// <remarks>The log is committed every 10 ms while running; without this last commit, writes of the final
    /// 10 ms before a stop were lost (the restart test failed about one run in two on a loaded machine).</remarks>
    public void Dispose()
    {
        if (DataDirectory is not null) server.Store.CommitAOFAsync(CancellationToken.None).GetAwaiter().GetResult();
        server.Dispose();
    }
}
