using System.Collections.Concurrent;
using System.Diagnostics;
using TaskQueue.Isolation;
using TaskQueue.Jobs;
using TaskQueue.Tasks;
using TaskQueue.Telemetry;

namespace TaskQueue.Workers;

/// <summary>Runs the jobs the worker starts and owns their slots.</summary>
/// <remarks>
/// Duties: run each batch a Complete call started on pool-thread lanes (<see cref="JobBatches"/>); start a fast
/// synchronous task inline on its lane, a slow one on a pool thread (<see cref="SyncCalls"/>); run a job in this process
/// (<see cref="JobRunner"/>) or, when the worker or its task asks for isolation, in a warm child process that is killed
/// when the job overruns (<see cref="IsolatedRunner"/>); cancel jobs at their timeout (<see cref="JobDeadlines"/>); hand
/// each outcome to the worker loop, waking it once per lane rather than once per job. A slot is taken from a job's
/// start until its code has returned: a job that ignores its cancellation keeps its slot as a zombie
/// (<see cref="Zombies"/>), so no more than the worker's concurrency of job code ever runs at once.
/// </remarks>
internal sealed class JobExecutor : IAsyncDisposable
{
    private readonly WorkerOptions options;
    private readonly ConcurrentQueue<JobOutcome> outcomes;
    private readonly ConcurrentQueue<(string Queue, string JobId)> released;
    private readonly Action wake;
    private readonly WorkerTelemetry telemetry;
    private readonly JobRunner runner;
    private readonly JobDeadlines deadlines;
    private readonly JobBatches batches;
    private readonly ChildPool children;
    private readonly IsolatedRunner isolated;
    private long workingTicks;

    /// <summary>An executor for the worker named <paramref name="workerName"/>: an ended job's outcome goes to
    /// <paramref name="outcomes"/>, a job canceled by the shutdown to <paramref name="released"/>, and either, or a slot
    /// freed, calls <paramref name="wake"/>; <paramref name="zombieLimit"/> is called once, when zombies reach
    /// <see cref="WorkerOptions.MaxZombies"/> or every slot.</summary>
    public JobExecutor(WorkerServices services, WorkerOptions options, string workerName, WorkerTelemetry telemetry, ConcurrentQueue<JobOutcome> outcomes,
        ConcurrentQueue<(string Queue, string JobId)> released, Action wake, Action zombieLimit)
    {
        this.options = options;
        this.outcomes = outcomes;
        this.released = released;
        this.wake = wake;
        this.telemetry = telemetry;
        runner = new JobRunner(services, new SyncCalls(inline: true), workerName, options.CancelGrace);
        deadlines = new JobDeadlines(services.Time, () => Running.Values);
        batches = new JobBatches(RunJobAsync, wake, services.Time);
        Zombies = new Zombies(Math.Min(options.MaxZombies, options.Concurrency), options.CancelGrace, services.Logger, zombieLimit);
        children = new ChildPool(options.ChildCommand is { } command ? () => command : ChildCommand.OfThisProcess, options.Concurrency, ChildReadyTimeout,
            ChildHost.MaxLineBytes(services.Options), services.Logger);
        isolated = new IsolatedRunner(children, runner, deadlines, workerName, options.CancelGrace, services.Time, services.Logger);
        if (options.Isolation == TaskIsolation.Process) children.Warm(options.Concurrency);
    }

    /// <summary>How long a new child gets to start and connect: a .NET process on a loaded machine can take seconds.</summary>
    private static readonly TimeSpan ChildReadyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The jobs whose outcome is not decided yet, by id; their leases are the worker's to keep.</summary>
    public ConcurrentDictionary<string, RunningJob> Running { get; } = new();

    public Zombies Zombies { get; }

    /// <summary>Slots taken: running jobs, and zombies whose code has not returned.</summary>
    public int Occupied => Running.Count + Zombies.Count;

    /// <summary>Time spent running jobs, in <see cref="TimeSpan.Ticks"/>.</summary>
    public long WorkingTicks => Interlocked.Read(ref workingTicks);

    /// <summary>Starts the jobs one Complete call started.</summary>
    public void Start(IReadOnlyList<StartedJob> jobs)
    {
        var handles = new RunningJob[jobs.Count];
        for (var i = 0; i < jobs.Count; i++)
        {
            handles[i] = new RunningJob(jobs[i].Id, jobs[i].Queue);
            Running[jobs[i].Id] = handles[i];
        }
        // No job runs on the worker loop: the lanes run the batch on the thread pool, one work item per batch.
        batches.Start(jobs, handles);
    }

    private async Task RunJobAsync(StartedJob job, RunningJob handle)
    {
        var began = Stopwatch.GetTimestamp();
        var span = telemetry.StartRun(job);
        JobRun run;
        try
        {
            if (runner.Prepare(job, out var prepared) is { } refused) run = new JobRun(refused, null);
            else if (options.Isolation == TaskIsolation.Process || prepared.Task.Isolation == TaskIsolation.Process)
            {
                run = new JobRun(await isolated.RunAsync(prepared, handle), null);
            }
            else
            {
                deadlines.Watch(handle, prepared.Timeout);
                run = await runner.RunAsync(prepared, handle);
            }
        }
        catch (Exception e)
        {
            run = new JobRun(new JobFailed(job.Id, job.Queue, $"WorkerError: {e}", Stopped: false, MayRetry: true), null);
        }
        Interlocked.Add(ref workingTicks, Stopwatch.GetElapsedTime(began).Ticks);
        telemetry.Ran(job, run.Outcome, handle.Reason, began, span);
        if (run.Outcome is not null) outcomes.Enqueue(run.Outcome);
        else if (handle.Reason == CancelReason.Shutdown) released.Enqueue((job.Queue, job.Id));
        // A zombie takes over the slot before the job leaves the running set, so the slot is never seen free.
        if (run.StillRunning is { } code) Zombies.Add(handle, code, wake);
        Running.TryRemove(job.Id, out _);
        if (run.StillRunning is null) handle.Dispose();
        if (!JobBatches.ReportedByLane) wake();
    }

    public async ValueTask DisposeAsync()
    {
        deadlines.Dispose();
        batches.Dispose();
        await children.DisposeAsync();
    }
}
