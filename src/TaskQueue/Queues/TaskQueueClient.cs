using Microsoft.Extensions.Options;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Queues;

/// <summary>The entry point for producers: queues by name, and jobs by id.</summary>
public sealed class TaskQueueClient
{
    private readonly JobStore store;
    private readonly QueueMonitor monitor;
    private readonly TaskQueueOptions settings;
    private readonly TimeProvider time;
    private readonly TaskQueueMetrics metrics;

    /// <summary>Made by <c>services.AddTaskQueue()</c>, with the container's instruments.</summary>
    internal TaskQueueClient(JobStore store, QueueMonitor monitor, IOptions<TaskQueueOptions> options, TimeProvider time, TaskQueueMetrics metrics)
    {
        this.store = store;
        this.monitor = monitor;
        settings = options.Value;
        this.time = time;
        this.metrics = metrics;
    }

    /// <summary>The queue named <paramref name="name"/>; the default queue when null.</summary>
    public JobQueue Queue(string? name = null) => new(name ?? settings.DefaultQueue, store, monitor, settings, time, metrics);

    /// <summary>A handle on the job with this id, or null when there is no such job.</summary>
    public async Task<Job?> FindJobAsync(string id, CancellationToken cancellationToken = default) =>
        await store.GetStatusAsync(id, cancellationToken) is null ? null : new Job(id, null, store, settings.Json);

    /// <summary>A handle on the job with this id, without checking that it exists.</summary>
    public Job Job(string id) => new(id, null, store, settings.Json);

    /// <summary>Puts failed, stopped or canceled jobs back on their queues.</summary>
    public Task<IReadOnlyList<RequeueOutcome>> RequeueAsync(IReadOnlyList<string> ids, bool atFront = false, CancellationToken cancellationToken = default) =>
        store.RequeueAsync(ids, atFront, cancellationToken);
}
