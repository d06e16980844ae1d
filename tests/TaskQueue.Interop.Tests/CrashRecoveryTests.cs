using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>A job whose <c>taskq worker</c> was killed with SIGKILL is recovered: by TaskQueue's rules while one of its
/// workers lives, and by RQ's own registry cleanup when only Python workers are left. RQ reads it at every step.</summary>
public sealed class CrashRecoveryTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task KilledTaskqWorker_AnotherTaskqWorkerReRunsItsJob_RqReadsTheOutcome()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var workers = new Dictionary<string, ChildProcess> { ["cs-a"] = test.StartTaskqWorker("--name", "cs-a"), ["cs-b"] = test.StartTaskqWorker("--name", "cs-b") };
        await Eventually.HoldsAsync(async () => (await test.ControlAsync("workers")).GetArrayLength() == 2, "both workers to register");
        var job = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 3 } });
        await test.WaitForStatusAsync(job, JobStatus.Started);
        var doomedName = (await test.JobAsync(job)).WorkerName!;
        var survivorName = workers.Keys.Single(n => n != doomedName);

        workers[doomedName].Kill();
        await workers[doomedName].WaitForExitAsync(TimeSpan.FromSeconds(10));
        // Until its lease runs out the job still reads as RQ's started job of the dead worker.
        var orphan = await test.InspectAsync(job);
        Assert.Equal(("started", doomedName), (orphan.Str("status"), orphan.Str("worker_name")));
        Assert.Equal(["started"], orphan.Strings("registries"));

        var finished = await test.WaitForRqStatusAsync(job, "finished", TimeSpan.FromSeconds(30));
        Assert.Equal("slept", finished.Str("return_value"));
        Assert.Equal(survivorName, finished.Str("worker_name"));
        Assert.Equal(1, (await test.JobAsync(job)).AbandonedCount);
    }

    [Fact(Timeout = 120_000)]
    public async Task KilledTaskqWorker_OnlyPythonWorkersLeft_RqRegistryCleanupRecoversItsJobs()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var doomed = test.StartTaskqWorker("--concurrency", "2", "--name", "cs-doomed");
        var plain = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 3 } });
        var retried = (await test.EnqueueAsync("interop_tasks.sleep", [3], options: new EnqueueOptions { Retry = new Retry(1) })).Id;
        await test.WaitForStatusAsync(plain, JobStatus.Started);
        await test.WaitForStatusAsync(retried, JobStatus.Started);
        doomed.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));

        // RQ's cleanup takes a started job whose score has passed (here, the dead worker's lease: 1.5 heartbeats).
        await Eventually.HoldsAsync(async () => (await test.ControlAsync("clean-registries", "default")).GetProperty("expired_started").GetArrayLength() == 2,
            "RQ to see both leases expired", TimeSpan.FromSeconds(20));
        // clean-registries ran StartedJobRegistry.cleanup: the job without retries is failed as RQ fails its own ...
        var failed = await test.InspectAsync(plain);
        Assert.Equal("failed", failed.Str("status"));
        Assert.Equal(["failed"], failed.Strings("registries"));
        Assert.StartsWith("Moved to FailedJobRegistry", failed.Str("exc_info"));
        // ... and the one with a retry left is queued again, for the next RQ worker to run.
        Assert.Equal("queued", (await test.InspectAsync(retried)).Str("status"));
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));
        var rerun = await test.InspectAsync(retried);
        Assert.Equal(("finished", "slept"), (rerun.Str("status"), rerun.Str("return_value")));

        // RQ requeues the failed one and runs it: nothing TaskQueue left behind stops it.
        var requeue = await test.RqAsync("requeue", "--queue", "default", "--all");
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));
        var recovered = await test.InspectAsync(plain);
        Assert.Equal(("finished", "slept"), (recovered.Str("status"), recovered.Str("return_value")));
        Assert.Equal(JobStatus.Finished, (await test.JobAsync(plain)).Status);
    }

    [Fact(Timeout = 120_000)]
    public async Task KilledTaskqWorker_RqWorkerStartsAfterwards_ItsMaintenanceRecoversTheJob()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var doomed = test.StartTaskqWorker("--name", "cs-doomed");
        var job = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 3 }, retry = new { max = 1 } });
        await test.WaitForStatusAsync(job, JobStatus.Started);
        doomed.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Eventually.HoldsAsync(async () => await test.Redis.SortedSetRangeByScoreAsync("rq:wip:default", double.NegativeInfinity,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1) is { Length: 1 }, "the dead worker's lease to expire", TimeSpan.FromSeconds(20));

        // An RQ worker cleans its queues' registries when it starts, retries the job, and runs it.
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));
        var recovered = await test.InspectAsync(job);
        Assert.Equal(("finished", "slept", 0), (recovered.Str("status"), recovered.Str("return_value"), recovered.GetProperty("retries_left").GetInt32()));
    }
}
