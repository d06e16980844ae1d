using Dundie.Email;
using Dundie.Notifications;
using Dundie.Settings;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.Extensions.Options;
using TaskQueue;
using TaskQueue.Embedded;
using TaskQueue.Hosting;

namespace Dundie.Hosting;

/// <summary>Connects Dundie to its queue: the broker URL from settings, the tasks, the weekly report schedule.</summary>
public static class QueueServices
{
    /// <summary>The embedded broker's folder inside the data folder.</summary>
    public const string BrokerFolder = "broker";

    /// <summary>Registers the queue client and Dundie's tasks; add <c>.AddWorker(...)</c> to run jobs in this process.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">Read now for the cron schedule, which is fixed at registration.</param>
    public static TaskQueueBuilder AddDundieQueue(this IServiceCollection services, IConfiguration configuration)
    {
        var queue = services.AddTaskQueue().AddTasks(typeof(UserTasks).Assembly);
        // Settings arrive as DUNDIE_REDIS__*, the course's names; the core reads TaskQueueOptions.
        services.AddOptions<TaskQueueOptions>().Configure<IOptions<RedisOptions>>((options, redis) =>
        {
            options.Url = redis.Value.ConfiguredUrl() ?? $"redis://127.0.0.1:{redis.Value.Port ?? RedisOptions.DefaultPort}";
            if (!string.IsNullOrEmpty(redis.Value.KeyPrefix))
            {
                options.KeyPrefix = redis.Value.KeyPrefix;
            }
        });
        services.AddScoped<UserTasks>();
        services.AddScoped<TransactionTasks>();
        services.AddScoped<ReportTasks>();
        services.AddScoped<BalanceNotifications>();
        services.AddSingleton<EmailJobs>();

        var cron = configuration.GetSection(ReportOptions.Section).Get<ReportOptions>()?.WeeklyBalanceCron;
        if (!string.IsNullOrWhiteSpace(cron))
        {
            queue.AddCron(ReportTasks.WeeklyBalanceSchedule, cron, ReportTasks.WeeklyBalanceTask);
        }
        return queue;
    }

    /// <summary>Starts the embedded broker when no Redis is configured, and points the settings at it.</summary>
    /// <returns>The broker, which the caller disposes after the host stops; null when a Redis server is configured.</returns>
    /// <remarks>
    /// It listens on <c>DUNDIE_REDIS__PORT</c> (default 6379), so a <c>dundie worker</c> started with no settings finds it,
    /// and keeps its append-only log in the data folder, so queued jobs survive a restart.
    /// </remarks>
    public static EmbeddedBroker? StartEmbeddedBrokerUnlessConfigured(IHostApplicationBuilder builder)
    {
        var redis = builder.Configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (redis.ConfiguredUrl() is not null)
        {
            return null;
        }
        var data = builder.Configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions();
        var port = redis.Port ?? RedisOptions.DefaultPort;
        EmbeddedBroker broker;
        try
        {
            broker = EmbeddedBroker.Start(port, Path.Combine(data.FullPath, BrokerFolder));
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot start the embedded broker on 127.0.0.1:{port} ({e.GetBaseException().Message}). " +
                "Set DUNDIE_REDIS__PORT to another port, or DUNDIE_REDIS__URL to use a running Redis.", e);
        }
        builder.Configuration.AddInMemoryCollection([new($"{RedisOptions.Section}:URL", broker.Url)]);
        return broker;
    }
}
