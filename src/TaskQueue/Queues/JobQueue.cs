using System.Linq.Expressions;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Queues;

/// <summary>One named queue: put jobs on it.</summary>
public sealed class JobQueue
{
    private readonly JobStore store;
    private readonly QueueMonitor monitor;
    private readonly TaskQueueOptions options;
    private readonly TimeProvider time;
    private readonly TaskQueueMetrics metrics;

    internal JobQueue(string name, JobStore store, QueueMonitor monitor, TaskQueueOptions options, TimeProvider time, TaskQueueMetrics metrics)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains(',')) throw new ArgumentException($"Queue name '{name}' contains a comma, which RQ's worker hash cannot hold.", nameof(name));
        Name = name;
        this.store = store;
        this.monitor = monitor;
        this.options = options;
        this.time = time;
        this.metrics = metrics;
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

    /// <summary>Enqueues one job.</summary>
    /// <exception cref="JobConflictException">Its chosen id belongs to a live job and its <see cref="OnConflict"/> refused it.</exception>
    public async Task<Job> EnqueueAsync(JobRequest request, CancellationToken cancellationToken = default) =>
        (await EnqueueManyAsync([request], cancellationToken))[0];

    /// <summary>Enqueues many jobs with one script call per batch, the batches pipelined.</summary>
    /// <exception cref="JobConflictException">Some chosen ids belong to live jobs, and their <see cref="OnConflict"/> refused
    /// them; thrown once every other job of the call was enqueued.</exception>
    /// <remarks>One <c>send &lt;queue&gt;</c> span covers the call, and every job carries its trace context.</remarks>
    public async Task<IReadOnlyList<Job>> EnqueueManyAsync(IEnumerable<JobRequest> requests, CancellationToken cancellationToken = default)
    {
        using var span = ProducerSpan.Start(Name);
        var trace = TraceContext.Of(span);
        var now = time.GetUtcNow();
        var nowIso = RqTime.ToIso(now);
        // Every job is built (its arguments serialized) before any is sent: a request that cannot be serialized
        // fails the call with nothing enqueued. Building while sending measured no faster.
        var all = requests as IReadOnlyList<JobRequest> ?? requests.ToArray();
        NewJob[] jobs;
        IReadOnlyList<Enqueued> statuses;
        try
        {
            jobs = all.Select(r => NewJob.Build(r, Name, now, nowIso, options, trace)).ToArray();
            ProducerSpan.Sent(span, jobs);
            statuses = await store.EnqueueAsync(jobs, cancellationToken);
        }
        catch (Exception e) when (span is not null)
        {
            ProducerSpan.Failed(span, e);
            throw;
        }
        metrics.RecordEnqueued(Name, jobs.Length);
        var handles = new Job[jobs.Length];
        List<JobConflict>? refused = null;
        for (var i = 0; i < jobs.Length; i++)
        {
            var (status, held) = statuses[i];
            if (held && jobs[i].OnConflict != OnConflict.ReturnExisting) (refused ??= []).Add(new JobConflict(jobs[i].Id, status, jobs[i].OnConflict));
            handles[i] = held
                ? new Job(jobs[i].Id, null, store, options.Json, existingStatus: status)
                : new Job(jobs[i].Id, status, store, options.Json, resultDiscarded: all[i].Options.ResultTtl == TimeSpan.Zero);
        }
        if (refused is not null) throw new JobConflictException(refused);
        return handles;
    }

    /// <summary>How many jobs this queue holds in each state.</summary>
    public Task<QueueCounts> GetCountsAsync(CancellationToken cancellationToken = default) => monitor.GetQueueAsync(Name, cancellationToken);

    /// <summary>Pauses this queue: workers take none of its jobs until <see cref="ResumeAsync"/> (or until
    /// <paramref name="duration"/> has passed); enqueueing still works. RQ's own workers do not know paused queues.</summary>
    public Task PauseAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default) => store.PauseAsync(Name, duration, cancellationToken);

    /// <summary>Resumes this queue; false when it was not paused.</summary>
    public Task<bool> ResumeAsync(CancellationToken cancellationToken = default) => store.ResumeAsync(Name, cancellationToken);

    /// <summary>Sets this queue's limits, replacing any it had (<see cref="QueueLimits.None"/> removes them): how many of its
    /// jobs may start per interval and run at once, across all workers. Workers obey them from their next fetch.</summary>
    /// <remarks>Ours only: RQ's workers know no limits (see <see cref="QueueLimits"/>).</remarks>
    public Task SetLimitsAsync(QueueLimits limits, CancellationToken cancellationToken = default) => store.SetLimitsAsync(Name, limits, cancellationToken);

    /// <summary>This queue's limits.</summary>
    public Task<QueueLimits> GetLimitsAsync(CancellationToken cancellationToken = default) => store.GetLimitsAsync(Name, cancellationToken);

    /// <summary>Deletes every job waiting in this queue; returns how many.</summary>
    public Task<long> EmptyAsync(CancellationToken cancellationToken = default) => store.EmptyAsync(Name, cancellationToken);

    public override string ToString() => Name;
}
