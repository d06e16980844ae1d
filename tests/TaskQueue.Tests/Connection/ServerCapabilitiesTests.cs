using TaskQueue.Connection;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Connection;

public sealed class ServerCapabilitiesTests(TestBroker broker)
{
    [Fact]
    public async Task ProbeAsync_TestBroker_StreamsOnlyOnRealRedis()
    {
        var connection = await broker.ConnectAsync();

        var capabilities = await ServerCapabilities.ProbeAsync(connection.Database);

        // Garnet (the embedded broker) has no streams; the real Redis servers CI runs (7.x) have them.
        Assert.Equal(!broker.IsEmbedded, capabilities.Streams);
        Assert.Equal(capabilities, connection.Capabilities);
    }
}
