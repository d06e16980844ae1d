using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskQueue.Connection;
using TaskQueue.Monitoring;
using TaskQueue.Workers;

namespace TaskQueue.Health;

/// <summary>Adds TaskQueue's health check: <c>services.AddHealthChecks().AddTaskQueue()</c>.</summary>
public static class HealthChecksBuilderExtensions
{
    /// <summary>Adds a check of the broker, of this process's workers' heartbeats and, optionally, of queue thresholds
    /// (see <see cref="TaskQueueHealthOptions"/>); needs <c>services.AddTaskQueue()</c>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="configure">Sets the timeout, the heartbeat tolerance and the queue thresholds.</param>
    /// <param name="name">The check's name in reports (<c>/health</c>'s entries).</param>
    /// <param name="failureStatus">What an unreachable broker reports; Unhealthy when null.</param>
    /// <param name="tags">Tags to filter checks by (readiness, liveness).</param>
    public static IHealthChecksBuilder AddTaskQueue(this IHealthChecksBuilder builder, Action<TaskQueueHealthOptions>? configure = null,
        string name = "taskqueue", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        var options = new TaskQueueHealthOptions();
        configure?.Invoke(options);
        if (options.Timeout <= TimeSpan.Zero) throw new ArgumentException($"Timeout must be positive, not {options.Timeout}.", nameof(configure));
        if (options.MissedHeartbeats < 1) throw new ArgumentException($"MissedHeartbeats must be at least 1, not {options.MissedHeartbeats}.", nameof(configure));
        return builder.Add(new HealthCheckRegistration(name, sp => new TaskQueueHealthCheck(options, sp.GetRequiredService<BrokerConnection>(),
            sp.GetRequiredService<QueueMonitor>(), sp.GetRequiredService<WorkerHeartbeats>(), sp.GetRequiredService<TimeProvider>()),
            failureStatus, tags));
    }
}
