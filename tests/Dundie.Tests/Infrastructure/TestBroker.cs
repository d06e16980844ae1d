using TaskQueue.Embedded;

namespace Dundie.Tests.Infrastructure;

/// <summary>The broker every test in this process shares: an embedded one, or the Redis named by
/// <c>TASKQUEUE_TEST_REDIS_URL</c>. Test classes keep apart by key prefix, never by flushing.</summary>
public static class TestBroker
{
    /// <summary>The variable that points the suite at a real Redis server.</summary>
    public const string ServerVariable = "TASKQUEUE_TEST_REDIS_URL";

    private static readonly Lazy<string> url = new(Start);

    /// <summary>The broker's <c>redis://</c> URL; the embedded broker starts on first use.</summary>
    public static string Url => url.Value;

    /// <summary>A key prefix no other test class uses.</summary>
    public static string NewKeyPrefix() => $"dundie-test-{Guid.NewGuid():N}:";

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server)
        {
            return server;
        }
        var broker = EmbeddedBroker.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => broker.Dispose();
        return broker.Url;
    }
}
