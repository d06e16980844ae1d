// NOT TaskQueue. The public signatures from notes/core-api.md that the runner uses, with no behaviour, so that
// `dotnet build -p:TaskQueueApi=contract` proves the runner compiles against the agreed contract before the
// core lands on main. The default build (TaskQueueApi=core) leaves this folder out and uses src/TaskQueue.
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue;

[AttributeUsage(AttributeTargets.Method)]
public sealed class TaskAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

public sealed class TaskQueueOptions
{
    public string Url { get; set; } = "redis://127.0.0.1:6379";
    public string KeyPrefix { get; set; } = "rq:";
}

public sealed class WorkerOptions
{
    public IList<string> Queues { get; set; } = ["default"];
    public int Concurrency { get; set; } = 1;
    public bool WithScheduler { get; set; }
}

public sealed class TaskQueueBuilder
{
    public TaskQueueBuilder AddTasks(Assembly assembly) => this;
    public TaskQueueBuilder AddWorker(Action<WorkerOptions> configure) => this;
}

public static class TaskQueueServiceCollectionExtensions
{
    public static TaskQueueBuilder AddTaskQueue(this IServiceCollection services, Action<TaskQueueOptions> configure)
    {
        services.AddSingleton<TaskQueueClient>();
        return new TaskQueueBuilder();
    }
}

public sealed class EnqueueOptions
{
    public DateTimeOffset? EnqueueAt { get; init; }
}

public sealed class JobRequest
{
    public static JobRequest Create(string taskName, IEnumerable<object?>? args = null,
        IDictionary<string, object?>? kwargs = null, EnqueueOptions? options = null) => new();
}

public sealed class Job;

public sealed record QueueCounts(long Queued, long Started, long Finished, long Failed, long Deferred, long Scheduled, long Canceled);

public sealed class JobQueue
{
    public Task<Job> EnqueueAsync(string taskName, IEnumerable<object?>? args = null,
        IDictionary<string, object?>? kwargs = null, EnqueueOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("contract stub");

    public Task<IReadOnlyList<Job>> EnqueueManyAsync(IEnumerable<JobRequest> requests,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("contract stub");

    public Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("contract stub");
}

public sealed class TaskQueueClient
{
    public JobQueue Queue(string name = "default") => new();
}
