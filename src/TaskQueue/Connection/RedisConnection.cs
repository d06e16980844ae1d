using System.Security.Authentication;
using StackExchange.Redis;

namespace TaskQueue.Connection;

/// <summary>A connection to the broker: one shared multiplexer for every caller, and what the server can do.</summary>
/// <remarks>
/// StackExchange.Redis pipelines every caller of a multiplexer on one socket, so a blocking command on it
/// would stall everyone behind it. Blocking reads get their own connection from <see cref="ConnectDedicatedAsync"/>.
/// </remarks>
public sealed class RedisConnection : IAsyncDisposable
{
    private readonly ConfigurationOptions options;

    private RedisConnection(string url, ConfigurationOptions options, IConnectionMultiplexer multiplexer, ServerCapabilities capabilities)
    {
        Url = url;
        this.options = options;
        Multiplexer = multiplexer;
        Capabilities = capabilities;
        Database = multiplexer.GetDatabase();
    }

    /// <summary>The URL this connection was made from.</summary>
    public string Url { get; }

    public IConnectionMultiplexer Multiplexer { get; }

    public IDatabase Database { get; }

    public ServerCapabilities Capabilities { get; }

    /// <summary>Connects to <paramref name="url"/> and probes the server.</summary>
    /// <exception cref="TaskQueueConnectionException">The server cannot be reached or refused the login.</exception>
    public static async Task<RedisConnection> ConnectAsync(string url, CancellationToken cancellationToken = default)
    {
        var options = RedisUrl.Parse(url);
        var multiplexer = await ConnectMultiplexerAsync(url, options, cancellationToken);
        try
        {
            var capabilities = await ServerCapabilities.ProbeAsync(multiplexer.GetDatabase());
            return new RedisConnection(url, options, multiplexer, capabilities);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            await multiplexer.DisposeAsync();
            throw new TaskQueueConnectionException($"Connected to {RedisUrl.Redact(url)} but it does not answer: {e.Message}", e);
        }
    }

    /// <summary>Opens a separate connection to the same server, for commands that block.</summary>
    public Task<IConnectionMultiplexer> ConnectDedicatedAsync(CancellationToken cancellationToken = default) =>
        ConnectMultiplexerAsync(Url, options.Clone(), cancellationToken);

    private static async Task<IConnectionMultiplexer> ConnectMultiplexerAsync(string url, ConfigurationOptions options, CancellationToken cancellationToken)
    {
        // Fail the first connect fast with a readable error; reconnects after that are automatic.
        options.AbortOnConnectFail = true;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
        }
        catch (RedisConnectionException e)
        {
            throw new TaskQueueConnectionException($"Cannot connect to Redis at {RedisUrl.Redact(url)}: {Reason(e)}.", e);
        }
    }

    /// <summary>Why a first connect failed, in words a user can act on.</summary>
    /// <remarks>StackExchange.Redis reports a refused TLS handshake (an untrusted or mismatched server certificate)
    /// as an authentication failure, like a wrong password: only the inner exception tells them apart.</remarks>
    private static string Reason(RedisConnectionException e)
    {
        if (e.FailureType != ConnectionFailureType.AuthenticationFailure) return "nothing answered there";
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException tls)
            {
                return $"the TLS handshake failed ({tls.Message.TrimEnd('.')}): the server's certificate is not trusted here; " +
                       $"name the CA that signed it with ?{RedisUrl.CaCertificateParameter}=/path/to/ca.pem";
            }
        }
        return "authentication failed (check the user name and password in the URL)";
    }

    public async ValueTask DisposeAsync() => await Multiplexer.DisposeAsync();
}

/// <summary>The broker cannot be reached, or refused the connection.</summary>
public sealed class TaskQueueConnectionException(string message, Exception? inner = null) : Exception(message, inner);
