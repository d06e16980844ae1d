using Microsoft.Extensions.Options;

namespace TaskQueue.Connection;

/// <summary>The process's connection to the broker, made on first use and shared by every caller.</summary>
/// <remarks>A failed connect is not cached: the next caller tries again, so a host can start before its broker.</remarks>
public sealed class BrokerConnection : IAsyncDisposable
{
    private readonly string url;
    private readonly SemaphoreSlim gate = new(1, 1);
    private RedisConnection? connection;

    public BrokerConnection(IOptions<TaskQueueOptions> options) => url = options.Value.Url;

    /// <summary>Wraps an open connection (tests, tools).</summary>
    public BrokerConnection(RedisConnection connection)
    {
        url = connection.Url;
        this.connection = connection;
    }

    /// <summary>The open connection, connecting first if needed.</summary>
    public ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken = default) =>
        connection is { } open ? ValueTask.FromResult(open) : new ValueTask<RedisConnection>(ConnectAsync(cancellationToken));

    private async Task<RedisConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return connection ??= await RedisConnection.ConnectAsync(url, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        gate.Dispose();
    }
}
