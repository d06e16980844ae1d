using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>Commands from another process reach a running worker: stop-job, suspend and resume; and a scheduled
/// job runs on time on a worker with the scheduler.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class ControlProcessTests(TestBroker broker)
{
    [Fact(Timeout = 120_000)]
    public async Task StopJob_RunningJob_EndsStoppedAndWorkerCarriesOn()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker();
        var job = await test.EnqueueAsync("taskq.sleep", "--args", "[60]");
        await test.WaitForStatusAsync(job, JobStatus.Started);

        var result = await test.Cli.RunAsync("stop-job", job);

        Assert.Equal(0, result.ExitCode);
        await test.WaitForStatusAsync(job, JobStatus.Stopped, TimeSpan.FromSeconds(10));
        Assert.Contains("stopped", (await test.JobAsync(job)).ExcInfo);
        var next = await test.EnqueueAsync("taskq.echo", "--args", "[\"after\"]");
        await test.WaitForStatusAsync(next, JobStatus.Finished);
        Assert.False(worker.HasExited);
    }

    [Fact(Timeout = 120_000)]
    public async Task Suspend_WorkerTakesNoJobsUntilResumed()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        Assert.Equal(0, (await test.Cli.RunAsync("suspend")).ExitCode);
        var job = await test.EnqueueAsync("taskq.echo", "--args", "[\"later\"]");
        var worker = test.StartWorker();
        await worker.WaitForOutputAsync("Worker is suspended");

        // Two more heartbeats: the worker has polled again meanwhile, and still left the job alone.
        var name = await WorkerNameAsync(test);
        var first = await HeartbeatAsync(test, name);
        await Eventually.HoldsAsync(async () => await HeartbeatAsync(test, name) != first, "a heartbeat");
        var second = await HeartbeatAsync(test, name);
        await Eventually.HoldsAsync(async () => await HeartbeatAsync(test, name) != second, "another heartbeat");
        Assert.Equal(JobStatus.Queued, await test.StatusAsync(job));

        Assert.Equal(0, (await test.Cli.RunAsync("resume")).ExitCode);

        await test.WaitForStatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(15));
    }

    [Fact(Timeout = 120_000)]
    public async Task ScheduledIn2s_WorkerWithScheduler_RunsOnTime()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var worker = test.StartWorker("--with-scheduler");
        await worker.WaitForOutputAsync("holds the scheduler lock");

        var before = DateTimeOffset.UtcNow;
        var job = await test.EnqueueAsync("taskq.echo", "--args", "[\"on time\"]", "--in", "2s");
        var after = DateTimeOffset.UtcNow;

        Assert.Equal(JobStatus.Scheduled, await test.StatusAsync(job));
        await test.WaitForStatusAsync(job, JobStatus.Finished, TimeSpan.FromSeconds(15));
        var started = (await test.JobAsync(job)).StartedAt!.Value;
        Assert.InRange(started, before.AddSeconds(2), after.AddSeconds(3.5));
    }

    private static async Task<string> WorkerNameAsync(ProcessTest test)
    {
        var members = await Eventually.ReturnsAsync(() => test.Queue.Database.SetMembersAsync(test.Queue.Keys.Workers), m => m.Length == 1,
            "the worker to register");
        return test.Queue.Keys.WorkerName(members[0]!);
    }

    private static async Task<string?> HeartbeatAsync(ProcessTest test, string worker) =>
        await test.Queue.Database.HashGetAsync(test.Queue.Keys.Worker(worker), "last_heartbeat");
}
