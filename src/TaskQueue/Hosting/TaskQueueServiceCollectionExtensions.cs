using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TaskQueue.Connection;
using TaskQueue.Hosting;
using TaskQueue.Monitoring;
using TaskQueue.Queues;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Tasks;
using TaskQueue.Telemetry;
using TaskQueue.Workers;

namespace TaskQueue;

public static class TaskQueueServiceCollectionExtensions
{
    /// <summary>Adds the queue client, the task registry and the broker connection.</summary>
    /// <remarks>Options bind from the <c>TaskQueue</c> configuration section; <paramref name="configure"/> runs after.</remarks>
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, Action<TaskQueueOptions>? configure = null)
    {
        var options = services.AddOptions<TaskQueueOptions>().BindConfigurationIfPresent(TaskQueueOptions.Section);
        if (configure is not null) options.Configure(configure);
        options.Validate(o => RedisUrlIsValid(o.Url), "TaskQueue:Url is not a redis:// or rediss:// URL.");
        options.Validate(o => o.MaxJobDataBytes > 0, "TaskQueue:MaxJobDataBytes must be positive.");

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BrokerConnection>();
        services.TryAddSingleton<JobStore>();
        services.TryAddSingleton(sp => new TaskQueueClient(sp.GetRequiredService<JobStore>(), sp.GetRequiredService<QueueMonitor>(),
            sp.GetRequiredService<IOptions<TaskQueueOptions>>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TaskQueueMetrics>()));
        services.TryAddSingleton<WorkerControl>();
        services.TryAddSingleton<QueueMonitor>();
        // The host's meter factory when it has one (a generic host registers it), so each container has its own meter.
        services.TryAddSingleton(sp => new TaskQueueMetrics(sp.GetService<IMeterFactory>(), sp.GetRequiredService<QueueMonitor>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<WorkerHeartbeats>();
        // What a worker takes from its host: registered here too, so a host may build a Worker itself (new Worker(options, sp)).
        services.TryAddSingleton<WorkerStore>();
        services.TryAddSingleton<SchedulerStore>();
        services.TryAddSingleton<WorkerServices>();
        services.TryAddSingleton<JobBrowser>();
        services.TryAddSingleton<JobSearch>();
        services.TryAddSingleton<StatsHistory>();
        services.TryAddSingleton<CronControl>();
        services.TryAddSingleton(sp =>
        {
            var registry = new TaskRegistry();
            foreach (var register in sp.GetRequiredService<IOptions<TaskRegistrations>>().Value.Actions) register(registry);
            return registry;
        });
        services.TryAddSingleton(sp =>
        {
            var schedule = new CronSchedule();
            foreach (var entry in sp.GetRequiredService<IOptions<CronScheduleOptions>>().Value.Entries) schedule.Add(entry);
            return schedule;
        });
        return new TaskQueueBuilder(services);
    }

    private static bool RedisUrlIsValid(string url)
    {
        try
        {
            RedisUrl.Parse(url);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
