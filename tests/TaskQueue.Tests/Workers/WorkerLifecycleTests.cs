using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Workers;

/// <summary>The whole job lifecycle through an in-process worker on the test broker.</summary>
public sealed class WorkerLifecycleTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task Finish_TaskReturns_JobFinishedWithResultKept500Seconds()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(2, 3));
        Assert.Equal(JobStatus.Queued, job.EnqueuedAs);

        await q.RunBurstAsync();

        var info = await job.GetInfoAsync();
        Assert.NotNull(info);
        Assert.Equal(JobStatus.Finished, info.Status);
        Assert.Equal("5", info.ResultJson);
        Assert.Equal(5, await job.GetResultAsync<int>());
        Assert.InRange((await q.Database.KeyTimeToLiveAsync(q.Keys.Job(job.Id)))!.Value.TotalSeconds, 490, 500);
        Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Finished, "default"), job.Id));
        Assert.Null(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Started, "default"), job.Id));
    }

    [Fact]
    public async Task Fail_TaskThrows_FailedWithExcInfoAndWorkerCarriesOn()
    {
        await using var q = await CreateAsync();
        var failing = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Fail("kaboom"));
        var next = await q.Client.Queue().EnqueueAsync("tests.add", [1, 1]);

        await q.RunBurstAsync();

        var info = await failing.GetInfoAsync();
        Assert.Equal(JobStatus.Failed, info!.Status);
        Assert.StartsWith("System.InvalidOperationException: kaboom", info.ExcInfo);
        Assert.Equal(JobStatus.Finished, await next.GetStatusAsync());
        var error = await Assert.ThrowsAsync<JobFailedException>(() => failing.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
        Assert.Equal(JobStatus.Failed, error.Status);
        Assert.Contains("kaboom", error.Message);
    }

    [Fact]
    public async Task Retry_FailsTwiceWithoutIntervals_FinishedOnThirdRun()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync("tests.flaky", [2], options: new EnqueueOptions { Retry = new Retry(2) });

        await q.RunBurstAsync();

        Assert.Equal(3, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Retry_SucceedsOnRetry_NoExcInfoFromTheFailedAttempt()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync("tests.flaky", [1], options: new EnqueueOptions { Retry = new Retry(1) });

        await q.RunBurstAsync();

        var info = (await job.GetInfoAsync())!;
        Assert.Equal((JobStatus.Finished, "2"), (info.Status, info.ResultJson));
        Assert.Null(info.ExcInfo);
        Assert.False(await q.Database.HashExistsAsync(q.Keys.Job(job.Id), "exc_info"));
    }

    [Fact]
    public async Task WaitForResult_ResultTtlZero_ReturnsDefaultOnceTheJobIsGone()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(2, 3), new EnqueueOptions { ResultTtl = TimeSpan.Zero });
        var waiting = job.WaitForResultAsync<int?>(TimeSpan.FromSeconds(20));

        await q.RunBurstAsync();

        Assert.Null(await waiting);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Job(job.Id)));
    }

    [Fact]
    public async Task Enqueue_ExpressionWithDiServiceParameter_WorkerSuppliesTheService()
    {
        await using var q = await TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly),
            services: s => s.AddScoped<ScopedThing>());
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.WithService(7, null!));

        await q.RunBurstAsync();

        Assert.Equal(107, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Retry_WithInterval_ScheduledThenRunBySchedulerAndFinished()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync("tests.flaky", [1], options: new EnqueueOptions { Retry = new Retry(1, TimeSpan.FromSeconds(1)) });
        var worker = q.Worker(o => o.WithScheduler = true);
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);

        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Scheduled, "the failed job to be scheduled for retry");
        Assert.Equal(2, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(15)));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Dependencies_ChainAndFanIn_RunInDependencyOrder()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var queue = q.Client.Queue();
        var a = await queue.EnqueueAsync(() => SampleTasks.Record(key, "a"));
        var b = await queue.EnqueueAsync(() => SampleTasks.Record(key, "b"), new EnqueueOptions { DependsOn = [a.Id] });
        var c = await queue.EnqueueAsync(() => SampleTasks.Record(key, "c"));
        var d = await queue.EnqueueAsync(() => SampleTasks.Record(key, "d"), new EnqueueOptions { DependsOn = [b.Id, c.Id], AtFront = true });
        Assert.Equal(JobStatus.Deferred, b.EnqueuedAs);
        Assert.Equal(JobStatus.Deferred, d.EnqueuedAs);

        await q.RunBurstAsync();

        Assert.Equal(["a", "c", "b", "d"], SampleTasks.OrderOf(key));
    }

    [Fact]
    public async Task DependencyFailed_Dependent_StaysDeferred()
    {
        await using var q = await CreateAsync();
        var parent = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Fail("no"));
        var child = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Nothing(), new EnqueueOptions { DependsOn = [parent.Id] });

        await q.RunBurstAsync();

        Assert.Equal(JobStatus.Failed, await parent.GetStatusAsync());
        Assert.Equal(JobStatus.Deferred, await child.GetStatusAsync());
    }

    [Fact]
    public async Task AtFront_ThreeJobs_FrontOneRunsFirst()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "1"));
        await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "2"));
        await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "front"), new EnqueueOptions { AtFront = true });

        await q.RunBurstAsync();

        Assert.Equal(["front", "1", "2"], SampleTasks.OrderOf(key));
    }

    [Fact]
    public async Task Priority_TwoQueues_HighDrainedBeforeLow()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        await q.Client.Queue("low").EnqueueAsync(() => SampleTasks.Record(key, "low1"));
        await q.Client.Queue("high").EnqueueAsync(() => SampleTasks.Record(key, "high1"));
        await q.Client.Queue("low").EnqueueAsync(() => SampleTasks.Record(key, "low2"));
        await q.Client.Queue("high").EnqueueAsync(() => SampleTasks.Record(key, "high2"));

        await q.RunBurstAsync(o => o.Queues = ["high", "low"]);

        Assert.Equal(["high1", "high2", "low1", "low2"], SampleTasks.OrderOf(key));
    }

    [Fact]
    public async Task Ttl_ExpiresWhileQueued_NeverRunsAndWorkerCarriesOn()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var expiring = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "late"), new EnqueueOptions { Ttl = TimeSpan.FromSeconds(1) });
        await Eventually.HoldsAsync(async () => !await q.Database.KeyExistsAsync(q.Keys.Job(expiring.Id)), "the job's ttl to expire");
        await q.Client.Queue().EnqueueAsync(() => SampleTasks.Record(key, "on time"));

        await q.RunBurstAsync();

        Assert.Equal(["on time"], SampleTasks.OrderOf(key));
        Assert.Null(await expiring.GetStatusAsync());
    }

    [Fact]
    public async Task Timeout_TaskRunsTooLong_FailedWithTimeoutError()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.SleepAsync(30, default), new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) });

        await q.RunBurstAsync();

        var info = await job.GetInfoAsync();
        Assert.Equal(JobStatus.Failed, info!.Status);
        Assert.StartsWith("JobTimeoutException: Task exceeded maximum timeout value (1 seconds)", info.ExcInfo);
    }

    [Fact]
    public async Task Callbacks_SuccessAndFailure_RunWithResultAndError()
    {
        await using var q = await CreateAsync();
        var ok = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(20, 22), new EnqueueOptions { OnSuccess = "tests.on_success" });
        var bad = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Fail("boom"), new EnqueueOptions { OnFailure = "tests.on_failure" });

        await q.RunBurstAsync();

        Assert.Equal(["success:42"], SampleTasks.OrderOf(ok.Id));
        Assert.Equal(["failure:System.InvalidOperationException: boom"], SampleTasks.OrderOf(bad.Id));
    }

    [Fact]
    public async Task Concurrency_Four_RunsFourAtOnceInOneProcess()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 8).Select(_ => JobRequest.From(() => SampleTasks.OverlapAsync(key, 0.3, default))));

        await q.RunBurstAsync(o => o.Concurrency = 4);

        Assert.Equal(4, SampleTasks.MaxConcurrent[key]);
    }

    [Fact]
    public async Task MaxJobs_Two_WorkerStopsAfterTwo()
    {
        await using var q = await CreateAsync();
        await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 5).Select(_ => JobRequest.Create("tests.nothing")));
        var worker = q.Worker(o => o.MaxJobs = 2);

        await worker.RunAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, worker.StartedCount);
        Assert.Equal(3, (await q.Client.Queue().GetCountsAsync()).Queued);
    }
}
