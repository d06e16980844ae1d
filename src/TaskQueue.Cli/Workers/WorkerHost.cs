using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using TaskQueue.Cli.Connection;
using TaskQueue.Connection;
using TaskQueue.Isolation;
using TaskQueue.Workers;

namespace TaskQueue.Cli.Workers;

/// <summary>Runs the core worker as a hosted service in a generic host, with RQ-style console lines.</summary>
internal static class WorkerHost
{
    /// <summary>Time beyond the grace period for the host to wait on the worker: canceled jobs get a few seconds
    /// to unwind, then the worker re-queues what is left and unregisters.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(ConnectionSettings settings, IReadOnlyList<Assembly> assemblies, Action<WorkerOptions> configure,
        CliConsole console, CancellationToken cancellationToken)
    {
        // No configuration sources or default logging: the command line is the whole configuration.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders()
            .AddConsole(o => o.FormatterName = RqConsoleFormatter.FormatterName)
            .AddConsoleFormatter<RqConsoleFormatter, ConsoleFormatterOptions>()
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning);

        var taskQueue = builder.Services.AddTaskQueue(o =>
        {
            o.Url = settings.Url;
            o.KeyPrefix = settings.Prefix;
        });
        foreach (var assembly in assemblies) taskQueue.AddTasks(assembly);
        taskQueue.AddWorker(configure);

        builder.Services.AddOptions<HostOptions>()
            .Configure<IOptions<WorkerOptions>>((host, worker) => host.ShutdownTimeout = worker.Value.ShutdownGrace + ShutdownMargin);

        using var host = builder.Build();
        // A child for isolated jobs, started by a worker from this same command line: same tasks, no worker of its own.
        if (TaskQueueChild.IsChild()) return await TaskQueueChild.RunAsync(host.Services, cancellationToken);
        var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToArray();
        // Settings first (reading the options runs their validation), then the broker: each problem is one clear
        // line rather than a failed hosted service.
        _ = host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value;
        await host.Services.GetRequiredService<BrokerConnection>().GetAsync(cancellationToken);
        await host.RunAsync(cancellationToken);

        var error = workers.Select(s => s.ExecuteTask?.Exception?.GetBaseException()).FirstOrDefault(e => e is not null);
        if (error is ZombieJobsException zombies) console.Error.WriteLine($"taskq: {zombies.Message}");
        else if (error is not null) console.Error.WriteLine("taskq: the worker stopped on an error (see the log above).");
        return error is null ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
