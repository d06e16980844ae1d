using System.Linq.Expressions;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;
using TaskQueue.Storage;

namespace TaskQueue.Queues;

/// <summary>One named queue: put jobs on it.</summary>
public sealed class JobQueue
{
    private readonly JobStore store;
    private readonly QueueMonitor monitor;
    private readonly TaskQueueOptions options;
    private readonly TimeProvider time;

    internal JobQueue(string name, JobStore store, QueueMonitor monitor, TaskQueueOptions options, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(',')) throw new ArgumentException($"Queue name '{name}' contains a comma, which RQ's worker hash cannot hold.", nameof(name));
        Name = name;
        this.store = store;
        this.monitor = monitor;
        this.options = options;
        this.time = time;
    }

    public string Name { get; }

    /// <summary>Enqueues the task named <paramref name="taskName"/> with JSON-serializable arguments.</summary>
    public Task<Job> EnqueueAsync(string taskName, IEnumerable<object?>? args = null, IReadOnlyDictionary<string, object?>? kwargs = null,
        EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(JobRequest.Create(taskName, args, kwargs, options), cancellationToken);

    /// <summary>Enqueues a call to a static <c>[Task]</c> method: <c>() => ReportTasks.Weekly(year)</c>.</summary>
    public Task<Job> EnqueueAsync(Expression<Action> call, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(JobRequest.From(call, options), cancellationToken);

    /// <summary>Enqueues a call to a static async <c>[Task]</c> method: <c>() => ReportTasks.WeeklyAsync(year, default)</c>.</summary>
    public Task<Job> EnqueueAsync(Expression<Func<Task>> call, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(JobRequest.From(call, options), cancellationToken);

    /// <summary>Enqueues a call to an async <c>[Task]</c> method of a DI service: <c>s => s.SendEmailAsync(email, text, default)</c>.</summary>
    /// <remarks>The worker resolves its own <typeparamref name="TService"/> from a per-job DI scope.</remarks>
    public Task<Job> EnqueueAsync<TService>(Expression<Func<TService, Task>> call, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(JobRequest.From(call, options), cancellationToken);

    /// <summary>Enqueues a call to a <c>[Task]</c> method of a DI service: <c>s => s.SendEmail(email, text, default)</c>.</summary>
    /// <remarks>The worker resolves its own <typeparamref name="TService"/> from a per-job DI scope.</remarks>
    public Task<Job> EnqueueAsync<TService>(Expression<Action<TService>> call, EnqueueOptions? options = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(JobRequest.From(call, options), cancellationToken);

    public async Task<Job> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default) =>
        (await EnqueueManyAsync([request], cancellationToken))[0];

    /// <summary>Enqueues many jobs with one script call per batch, the batches pipelined.</summary>
    public async Task<IReadOnlyList<Job>> EnqueueManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var nowIso = RqTime.ToIso(now);
        // Every job is built (its arguments serialized) before any is sent: a request that cannot be serialized
        // fails the call with nothing enqueued. Building while sending measured no faster.
        var jobs = requests.Select(r => NewJob.Build(r, Name, now, nowIso, options)).ToArray();
        var statuses = await store.EnqueueAsync(jobs, cancellationToken);
        var handles = new Job[jobs.Length];
        for (var i = 0; i < jobs.Length; i++) handles[i] = new Job(jobs[i].Id, statuses[i], store, options.Json);
        return handles;
    }

    /// <summary>How many jobs this queue holds in each state.</summary>
    public Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default) => monitor.GetQueueAsync(Name, cancellationToken);

    /// <summary>Pauses this queue: workers take none of its jobs until <see cref="ResumeAsync"/> (or until
    /// <paramref name="duration"/> has passed); enqueueing still works. RQ's own workers do not know paused queues.</summary>
    public Task PauseAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default) => store.PauseAsync(Name, duration, cancellationToken);

    /// <summary>Resumes this queue; false when it was not paused.</summary>
    public Task<bool> ResumeAsync(CancellationToken cancellationToken = default) => store.ResumeAsync(Name, cancellationToken);

    /// <summary>Deletes every job waiting in this queue; returns how many.</summary>
    public Task<long> EmptyAsync(CancellationToken cancellationToken = default) => store.EmptyAsync(Name, cancellationToken);

    public override string ToString() => Name;
}
