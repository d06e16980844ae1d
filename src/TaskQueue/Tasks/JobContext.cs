using System.Text;
using System.Text.Json.Nodes;

namespace TaskQueue.Tasks;

/// <summary>What a running task may know about its job; add a parameter of this type to receive it.</summary>
public sealed class JobContext
{
    private readonly Func<string, CancellationToken, Task<bool>>? saveMeta;
    private readonly int maxMetaBytes;

    internal JobContext(string jobId, string queue, string taskName, string workerName, int abandonedCount,
        JsonObject meta, CancellationToken cancellationToken, Func<string, CancellationToken, Task<bool>>? saveMeta = null,
        int maxMetaBytes = Jobs.JobLimits.DefaultMaxDataBytes)
    {
        JobId = jobId;
        Queue = queue;
        TaskName = taskName;
        WorkerName = workerName;
        AbandonedCount = abandonedCount;
        Meta = meta;
        CancellationToken = cancellationToken;
        this.saveMeta = saveMeta;
        this.maxMetaBytes = maxMetaBytes;
    }

    public string JobId { get; }

    public string Queue { get; }

    public string TaskName { get; }

    public string WorkerName { get; }

    /// <summary>How many times a worker died while running this job before this run.</summary>
    public int AbandonedCount { get; }

    /// <summary>The job's meta, as enqueued (or as a previous run saved it); change it and call <see cref="SaveMetaAsync"/>
    /// to store it, as RQ's <c>job.meta[...] = x; job.save_meta()</c> does.</summary>
    public JsonObject Meta { get; }

    /// <summary>Fires when the job times out, is stopped, or the worker shuts down.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Stores <see cref="Meta"/> as the job's <c>meta</c>, whole, where <c>taskq job</c>, <c>JobInfo.Meta</c> and RQ's
    /// <c>job.meta</c> read it while the job runs and after it ends: progress reports, partial results.</summary>
    /// <returns>False when the job is no longer this worker's (it was stopped or timed out and another run took over, or
    /// its lease expired): nothing was written.</returns>
    /// <exception cref="ArgumentException">The meta is over <see cref="TaskQueueOptions.MaxJobDataBytes"/>.</exception>
    public Task<bool> SaveMetaAsync(CancellationToken cancellationToken = default)
    {
        var json = Meta.ToJsonString();
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > maxMetaBytes)
        {
            throw new ArgumentException($"The job's meta is {bytes} bytes, over the limit of {maxMetaBytes} (TaskQueueOptions.MaxJobDataBytes).");
        }
        return saveMeta is null ? Task.FromResult(false) : saveMeta(json, cancellationToken);
    }
}

/// <summary>Parameters the worker supplies itself; they are never part of a job's arguments.</summary>
internal static class TaskParameters
{
    public static bool IsSupplied(Type type) => type == typeof(CancellationToken) || type == typeof(JobContext);
}
