using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Hosting;
using TaskQueue.Queues;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.TestSupport;

/// <summary>A queue setup private to one test: its own key prefix on the shared broker, a DI container with the
/// tasks the test registers, and helpers to run workers in-process.</summary>
public sealed class TestQueue : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private TestQueue(TestBroker broker, string prefix, ServiceProvider services, IDatabase database)
    {
        Broker = broker;
        Prefix = prefix;
        this.services = services;
        Database = database;
        Keys = new RedisKeys(prefix);
    }

    public TestBroker Broker { get; }

    public string Prefix { get; }

    public RedisKeys Keys { get; }

    public IDatabase Database { get; }

    public IServiceProvider Services => services;

    public TaskQueueClient Client => services.GetRequiredService<TaskQueueClient>();

    public static async Task<TestQueue> CreateAsync(TestBroker broker, Action<TaskQueueBuilder>? configure = null,
        Action<IServiceCollection>? services = null, Action<TaskQueueOptions>? options = null)
    {
        var prefix = TestBroker.NewPrefix();
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var builder = collection.AddTaskQueue(o =>
        {
            o.Url = broker.Url;
            o.KeyPrefix = prefix;
            options?.Invoke(o);
        });
        configure?.Invoke(builder);
        services?.Invoke(collection);
        var provider = collection.BuildServiceProvider();
        var connection = await broker.ConnectAsync();
        return new TestQueue(broker, prefix, provider, connection.Database);
    }

    /// <summary>A worker over this setup; run it with <see cref="Worker.RunAsync"/>.</summary>
    public Worker Worker(Action<WorkerOptions>? configure = null)
    {
        var options = new WorkerOptions { HeartbeatInterval = TimeSpan.FromMilliseconds(500) };
        configure?.Invoke(options);
        return new Worker(options, services.GetRequiredService<WorkerServices>());
    }

    /// <summary>Runs a burst worker until the queues are empty.</summary>
    public async Task RunBurstAsync(Action<WorkerOptions>? configure = null, TimeSpan? timeout = null)
    {
        var worker = Worker(o =>
        {
            o.Burst = true;
            configure?.Invoke(o);
        });
        await worker.RunAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();
}
