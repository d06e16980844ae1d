using System.Text.Json;

namespace TaskQueue.Tasks;

/// <summary>What a running task may know about its job; add a parameter of this type to receive it.</summary>
public sealed class JobContext
{
    internal JobContext(string jobId, string queue, string taskName, string workerName, int abandonedCount,
        IReadOnlyDictionary<string, JsonElement> meta, CancellationToken cancellationToken)
    {
        JobId = jobId;
        Queue = queue;
        TaskName = taskName;
        WorkerName = workerName;
        AbandonedCount = abandonedCount;
        Meta = meta;
        CancellationToken = cancellationToken;
    }

    public string JobId { get; }

    public string Queue { get; }

    public string TaskName { get; }

    public string WorkerName { get; }

    /// <summary>How many times a worker died while running this job before this run.</summary>
    public int AbandonedCount { get; }

    /// <summary>The job's meta, as enqueued.</summary>
    public IReadOnlyDictionary<string, JsonElement> Meta { get; }

    /// <summary>Fires when the job times out, is stopped, or the worker shuts down.</summary>
    public CancellationToken CancellationToken { get; }
}

/// <summary>Parameters the worker supplies itself; they are never part of a job's arguments.</summary>
internal static class TaskParameters
{
    public static bool IsSupplied(Type type) => type == typeof(CancellationToken) || type == typeof(JobContext);
}
