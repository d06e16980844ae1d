using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Queues;

namespace TaskQueue.Embedded.Tests;

public sealed class EmbeddedBrokerTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "taskq-embedded-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Start_PortZero_ListensOnLoopbackWithLuaAndNoStreams()
    {
        using var broker = EmbeddedBroker.Start();
        await using var redis = await RedisConnection.ConnectAsync(broker.Url);

        Assert.StartsWith("redis://127.0.0.1:", broker.Url);
        Assert.Equal(42, (int)await redis.Database.ScriptEvaluateAsync("return 41 + 1"));
        Assert.False(redis.Capabilities.Streams);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_QueuedJobsSurvive()
    {
        string id;
        var port = 0;
        using (var broker = EmbeddedBroker.Start(dataDirectory: directory))
        {
            port = broker.Port;
            await using var services = Services(broker.Url);
            var job = await services.GetRequiredService<TaskQueueClient>().Queue().EnqueueAsync("taskq.echo", ["kept"]);
            id = job.Id;
        }

        using var restarted = EmbeddedBroker.Start(port: port, dataDirectory: directory);
        await using var again = Services(restarted.Url);
        var info = await again.GetRequiredService<TaskQueueClient>().Job(id).GetInfoAsync();

        Assert.NotNull(info);
        Assert.Equal(JobStatus.Queued, info.Status);
        Assert.Equal(1, (await again.GetRequiredService<TaskQueueClient>().Queue().GetCountsAsync()).Queued);
    }

    [Fact]
    public void Start_PortTaken_ThrowsInsteadOfSharing()
    {
        using var first = EmbeddedBroker.Start();
        Assert.ThrowsAny<Exception>(() => EmbeddedBroker.Start(port: first.Port));
    }

    private static ServiceProvider Services(string url)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddTaskQueue(o => o.Url = url);
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
    }
}
