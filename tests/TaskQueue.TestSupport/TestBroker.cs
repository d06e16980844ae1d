using TaskQueue.Connection;
using TaskQueue.Embedded;

namespace TaskQueue.TestSupport;

/// <summary>The Redis-protocol server a test run talks to: the server named by <c>TASKQUEUE_TEST_REDIS_URL</c>,
/// or else an embedded broker started for the run.</summary>
/// <remarks>Tests share it and keep apart by key prefix (<see cref="NewPrefix"/>), never by flushing it.</remarks>
public sealed class TestBroker : IAsyncDisposable
{
    public const string UrlVariable = "TASKQUEUE_TEST_REDIS_URL";

    private readonly EmbeddedBroker? embedded;
    private RedisConnection? connection;

    public TestBroker()
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            embedded = EmbeddedBroker.Start();
            url = embedded.Url;
        }
        Url = url;
    }

    /// <summary>The broker's URL.</summary>
    public string Url { get; }

    /// <summary>True when the tests run on the embedded broker rather than a real Redis.</summary>
    public bool IsEmbedded => embedded is not null;

    /// <summary>A connection shared by the tests, for setting up and inspecting keys.</summary>
    public async Task<RedisConnection> ConnectAsync() => connection ??= await RedisConnection.ConnectAsync(Url);

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"t{Guid.NewGuid():N}"[..13] + ":rq:";

    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
        embedded?.Dispose();
    }
}
