using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Workers;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Hosting;

namespace TaskQueue.Tests.Workers;

/// <summary>Controlling a running worker: stop-job, cancel, suspend/resume, shutdown, scheduling.</summary>
public sealed class WorkerControlTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync(Action<TaskQueueBuilder>? more = null) =>
        TestQueue.CreateAsync(broker, b => { b.AddTasks(typeof(SampleTasks).Assembly); more?.Invoke(b); });

    /// <summary>Runs a worker in the background until disposed.</summary>
    private sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task run;

        public Running(Worker worker)
        {
            Worker = worker;
            run = worker.RunAsync(stop.Token);
        }

        public Worker Worker { get; }

        public Task Completion => run;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task StopJob_RunningJob_EndsStopped()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.SleepAsync(60, default));
        await using var running = new Running(q.Worker());
        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Started, "the job to start");

        Assert.True(await q.Services.GetRequiredService<WorkerControl>().StopJobAsync(job.Id));

        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Stopped, "the job to be stopped");
        Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Failed, "default"), job.Id));
    }

    [Fact]
    public async Task Cancel_QueuedJob_NeverRuns()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var canceled = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "canceled"));
        await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "kept"));

        Assert.True(await canceled.CancelAsync());
        await q.RunBurstAsync();

        Assert.Equal(["kept"], SampleTasks.OrderOf(key));
        Assert.Equal(JobStatus.Canceled, await canceled.GetStatusAsync());
        Assert.False(await canceled.CancelAsync());
    }

    [Fact]
    public async Task Suspend_ThenResume_JobWaitsThenRuns()
    {
        await using var q = await CreateAsync();
        var control = q.Services.GetRequiredService<WorkerControl>();
        await control.SuspendAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Nothing());
        await using var running = new Running(q.Worker());
        await Eventually.HoldsAsync(async () => (await q.Database.HashGetAsync(q.Keys.Worker(running.Worker.Name), "state")).HasValue, "the worker to register");
        // Long enough for an unsuspended worker to have taken the job many times over.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());

        await control.ResumeAsync();

        await job.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(JobStatus.Finished, await job.GetStatusAsync());
    }

    [Fact]
    public async Task PauseQueue_WorkerTakesTheOtherQueues_ResumeRunsIt()
    {
        await using var q = await CreateAsync();
        var paused = q.Client.Queue("paused");
        await paused.PauseAsync();
        var waiting = await paused.EnqueueManyAsync(Enumerable.Range(0, 3).Select(_ => JobRequest.Create("tests.nothing")));
        var other = await q.Client.Queue("other").EnqueueAsync(() => SampleTasks.Nothing());
        await using var running = new Running(q.Worker(o => o.Queues = ["paused", "other"]));

        await other.WaitAsync(TimeSpan.FromSeconds(15));
        // Long enough for the worker to have taken the paused queue's jobs many times over.
        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var job in waiting) Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        Assert.True((await paused.GetCountsAsync()).Paused);

        Assert.True(await paused.ResumeAsync());

        foreach (var job in waiting) Assert.Equal(JobStatus.Finished, (await job.WaitAsync(TimeSpan.FromSeconds(15))).Status);
        Assert.False((await paused.GetCountsAsync()).Paused);
    }

    [Fact]
    public async Task Shutdown_JobLongerThanGrace_CanceledAndRequeuedAtFront()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.SleepAsync(60, default));
        var waiting = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Nothing());
        var worker = q.Worker(o => o.ShutdownGrace = TimeSpan.FromMilliseconds(300));
        var run = worker.RunAsync();
        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Started, "the job to start");

        worker.RequestStop();
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        Assert.Equal([job.Id, waiting.Id], (await q.Database.ListRangeAsync(q.Keys.Queue("default"))).Select(v => v.ToString()));
        Assert.Null(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Started, "default"), job.Id));
        Assert.False(await q.Database.SetContainsAsync(q.Keys.Workers, q.Keys.Worker(worker.Name)));
    }

    [Fact]
    public async Task Shutdown_JobWithinGrace_FinishesBeforeExit()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.SleepAsync(0.5, default));
        var worker = q.Worker(o => o.ShutdownGrace = TimeSpan.FromSeconds(20));
        var run = worker.RunAsync();
        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Started, "the job to start");

        worker.RequestStop();
        await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(JobStatus.Finished, await job.GetStatusAsync());
    }

    [Fact]
    public async Task Scheduled_EnqueueIn_RunByTheSchedulerNoEarlierThanDue()
    {
        await using var q = await CreateAsync();
        // The due time is taken as the call starts; the first call also connects, which can take a while.
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Nothing(), new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(1) });
        Assert.Equal(JobStatus.Scheduled, job.EnqueuedAs);
        await using var running = new Running(q.Worker(o => o.WithScheduler = true));

        var info = await job.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(JobStatus.Finished, info.Status);
        // started_at is stored to the millisecond (truncated, RQ's format): compare at that precision.
        var dueMs = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerMillisecond));
        Assert.True(info.StartedAt >= dueMs, $"started {info.StartedAt:O}, due {due:O}");
    }

    [Fact]
    public async Task Cron_TwoSchedulers_EachTickEnqueuedOnce()
    {
        var name = "tick-" + Guid.NewGuid().ToString("N")[..8];
        await using var q = await CreateAsync(b => b.AddCron(name, "* * * * * *", "tests.count"));
        await using (new Running(q.Worker(o => { o.WithScheduler = true; o.Concurrency = 2; })))
        await using (new Running(q.Worker(o => { o.WithScheduler = true; o.Concurrency = 2; })))
        {
            await Eventually.HoldsAsync(() => Task.FromResult(SampleTasks.Runs.Keys.Count(k => k.StartsWith($"cron:{name}:")) >= 3),
                "three cron ticks to run");
        }

        var ticks = SampleTasks.Runs.Where(r => r.Key.StartsWith($"cron:{name}:")).ToArray();
        Assert.All(ticks, t => Assert.Equal(1, t.Value));
    }
}
