using System.Diagnostics;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>SIGTERM drains within the grace period, re-queues what outlives it, and a second SIGTERM stops at once.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class ShutdownProcessTests(TestBroker broker)
{
    [Fact(Timeout = 120_000)]
    public async Task Sigterm_JobEndsWithinGrace_JobFinishesWorkerExitsZero()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--grace", "20s");
        var job = await test.EnqueueAsync("taskq.sleep", "--args", "[2]");
        await test.WaitForStatusAsync(job, JobStatus.Started);

        worker.Signal(ChildProcess.SigTerm);

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(JobStatus.Finished, await test.StatusAsync(job));
        Assert.Contains("Warm shut down requested", worker.Output);
        await AssertUnregisteredAsync(test);
    }

    [Fact(Timeout = 120_000)]
    public async Task Sigterm_JobOutlivesGrace_JobCanceledAndRequeuedAtFront()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--grace", "1s");
        var running = await test.EnqueueAsync("taskq.sleep", "--args", "[60]");
        await test.WaitForStatusAsync(running, JobStatus.Started);
        var waiting = await test.EnqueueAsync("taskq.sleep", "--args", "[60]");

        worker.Signal(ChildProcess.SigTerm);

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        await AssertRequeuedAtFrontAsync(test, running, waiting);
        await AssertUnregisteredAsync(test);
    }

    [Fact(Timeout = 120_000)]
    public async Task SecondSigterm_DuringLongGrace_StopsAtOnceAndRequeues()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--grace", "60s");
        var running = await test.EnqueueAsync("taskq.sleep", "--args", "[60]");
        await test.WaitForStatusAsync(running, JobStatus.Started);
        var waiting = await test.EnqueueAsync("taskq.sleep", "--args", "[60]");
        worker.Signal(ChildProcess.SigTerm);
        await worker.WaitForOutputAsync("Warm shut down requested");

        var clock = Stopwatch.StartNew();
        worker.Signal(ChildProcess.SigTerm);

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the second SIGTERM took {clock.Elapsed} to stop the worker");
        await AssertRequeuedAtFrontAsync(test, running, waiting);
    }

    /// <summary>Released, not failed: queued at the front, off the started registry, no error, no abandon counted.</summary>
    private static async Task AssertRequeuedAtFrontAsync(ProcessTest test, string released, string waiting)
    {
        var job = await test.JobAsync(released);
        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.ExcInfo);
        Assert.Equal(0, job.AbandonedCount);
        Assert.Equal([released, waiting], (await test.Queue.Database.ListRangeAsync(test.Queue.Keys.Queue("default"))).Select(v => v.ToString()));
        Assert.Equal(0, await test.Queue.Database.SortedSetLengthAsync(test.Queue.Keys.Registry(Registry.Started, "default")));
    }

    private static async Task AssertUnregisteredAsync(ProcessTest test) =>
        Assert.Equal(0, await test.Queue.Database.SetLengthAsync(test.Queue.Keys.Workers));
}
