using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>A <c>redis-server</c> process of one test's own: loopback, a free port, a temp folder for its files;
/// killed with SIGKILL or restarted on the same port and folder at will, and stopped (its folder deleted) on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    public const string Executable = "/usr/bin/redis-server";

    private readonly string[] settings;
    private ChildProcess? process;
    private ConnectionMultiplexer? admin;

    private RedisServer(string name, string[] settings, bool tls, string? folder = null)
    {
        Name = name;
        this.settings = settings;
        Tls = tls;
        Port = FreePort();
        Folder = folder ?? Directory.CreateTempSubdirectory($"taskq-faults-{name}-").FullName;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Its working folder: AOF, logs, certificates the test put there.</summary>
    public string Folder { get; }

    public bool Tls { get; }

    /// <summary>The password the test's own connections log in with (<c>requirepass</c>), if any.</summary>
    public string? Password { get; init; }

    /// <summary>A TLS server's certificate files (in its folder).</summary>
    public TestCertificates? Certificates { get; private init; }

    /// <summary>The CA file the test's own TLS connections trust.</summary>
    public string? CaFile { get; init; }

    /// <summary>The URL of this server, without credentials: <c>redis://127.0.0.1:PORT</c>.</summary>
    public string Url => $"{(Tls ? "rediss" : "redis")}://127.0.0.1:{Port}";

    /// <summary>A URL the test's own connections use: with the password and the CA when set.</summary>
    public string AdminUrl =>
        $"{(Tls ? "rediss" : "redis")}://{(Password is null ? "" : $":{Uri.EscapeDataString(Password)}@")}127.0.0.1:{Port}" +
        (CaFile is null ? "" : $"?{RedisUrl.CaCertificateParameter}={Uri.EscapeDataString(CaFile)}");

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts <c>redis-server</c> with <paramref name="extra"/> settings (<c>--appendonly yes</c>...) after the
    /// defaults (loopback, no RDB snapshots, no AOF), and waits until it answers.</summary>
    public static async Task<RedisServer> StartAsync(string name, params string[] extra)
    {
        var server = new RedisServer(name, extra, tls: false);
        await server.RunAsync();
        return server;
    }

    /// <summary>Starts a server that takes TLS only (<c>--port 0 --tls-port</c>), with a CA and a server certificate made for
    /// it in its folder (<see cref="Certificates"/>), and any <paramref name="extra"/> settings.</summary>
    public static async Task<RedisServer> StartTlsAsync(string name, string? password, params string[] extra)
    {
        string[] auth = password is null ? [] : ["--requirepass", password];
        var folder = Directory.CreateTempSubdirectory($"taskq-faults-{name}-").FullName;
        var certificates = TestCertificates.Create(folder);
        var server = new RedisServer(name, [.. certificates.ServerSettings(), .. auth, .. extra], tls: true, folder)
        {
            CaFile = certificates.CaFile,
            Password = password,
            Certificates = certificates,
        };
        await server.RunAsync();
        return server;
    }

    /// <summary>Like <see cref="StartAsync"/> with <c>requirepass</c> and, when given, ACL users
    /// (<c>user alice on &gt;pw ~* &amp;* +@all</c>).</summary>
    public static async Task<RedisServer> StartWithPasswordAsync(string name, string password, params string[] extra)
    {
        var server = new RedisServer(name, ["--requirepass", password, .. extra], tls: false) { Password = password };
        await server.RunAsync();
        return server;
    }

    /// <summary>SIGKILL: the server dies between two instructions, with whatever it had not written to its AOF.</summary>
    public async Task KillAsync()
    {
        if (process is null) return;
        process.Kill();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts it again on the same port and folder (so on its AOF, when it has one).</summary>
    public async Task RestartAsync()
    {
        if (process is { HasExited: false }) throw new InvalidOperationException($"{Name} is still running");
        if (process is not null) await process.DisposeAsync();
        await RunAsync();
    }

    /// <summary>A connection of the test's own (admin commands allowed), made on first use; it reconnects by itself
    /// across restarts.</summary>
    public IDatabase Database => (admin ??= Connect()).GetDatabase();

    /// <summary>The test's connection's server view: CONFIG SET, INFO, DBSIZE.</summary>
    public IServer Server => (admin ??= Connect()).GetServer(admin.GetEndPoints()[0]);

    /// <summary>What the server printed (its log goes to stdout).</summary>
    public string Log => process?.Output ?? "";

    private ConnectionMultiplexer Connect()
    {
        var options = RedisUrl.Parse(AdminUrl);
        options.AllowAdmin = true;
        options.AbortOnConnectFail = false;
        options.ConnectRetry = 10;
        return ConnectionMultiplexer.Connect(options);
    }

    private async Task RunAsync()
    {
        string[] listen = Tls ? ["--port", "0", "--tls-port", $"{Port}"] : ["--port", $"{Port}"];
        process = ChildProcess.Start($"redis-server {Name}", Executable,
            [
                "--bind", "127.0.0.1", .. listen, "--dir", Folder, "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--logfile", "", "--protected-mode", "no", .. settings,
            ],
            workingDirectory: Folder);
        await Eventually.HoldsAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited ({process.ExitCode}):\n{process.Output}");
            return process.Output.Contains("Ready to accept connections", StringComparison.Ordinal) && await AcceptsAsync();
        }, $"redis-server {Name} to accept connections", TimeSpan.FromSeconds(30));
    }

    private async Task<bool> AcceptsAsync()
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (admin is not null) await admin.DisposeAsync();
        if (process is not null) await process.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
