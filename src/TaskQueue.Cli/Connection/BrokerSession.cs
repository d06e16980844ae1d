using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Connection;
using TaskQueue.Monitoring;
using TaskQueue.Queues;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Cli.Connection;

/// <summary>One command's connection to the broker, through the library's own services (client, monitor,
/// worker control), never straight to Redis keys.</summary>
internal sealed class BrokerSession : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private BrokerSession(ServiceProvider services) => this.services = services;

    /// <summary>Connects now, so an unreachable broker is one clear error before the command does anything.</summary>
    /// <exception cref="TaskQueueConnectionException">The broker cannot be reached or refused the login.</exception>
    public static async Task<BrokerSession> OpenAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var collection = new ServiceCollection();
        collection.AddTaskQueue(o =>
        {
            o.Url = settings.Url;
            o.KeyPrefix = settings.Prefix;
        });
        var services = collection.BuildServiceProvider();
        try
        {
            await services.GetRequiredService<BrokerConnection>().GetAsync(cancellationToken);
            return new BrokerSession(services);
        }
        catch
        {
            await services.DisposeAsync();
            throw;
        }
    }

    public TaskQueueClient Client => services.GetRequiredService<TaskQueueClient>();

    public QueueMonitor Monitor => services.GetRequiredService<QueueMonitor>();

    public WorkerControl Control => services.GetRequiredService<WorkerControl>();

    public JobStore Jobs => services.GetRequiredService<JobStore>();

    public CronControl Cron => services.GetRequiredService<CronControl>();

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
