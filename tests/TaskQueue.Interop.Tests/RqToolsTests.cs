using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>RQ's own tools on TaskQueue's queues and workers: <c>rq info</c>, <c>rq requeue</c>, <c>rq empty</c>,
/// <c>rq suspend</c>/<c>rq resume</c>, and RQ's pub/sub commands (<c>stop-job</c>, <c>shutdown</c>).</summary>
public sealed class RqToolsTests(InteropServer server)
{
    [Fact(Timeout = 60_000)]
    public async Task RqInfo_WhileTaskqWorkerRuns_ListsItsWorkerAndQueueCounts()
    {
        await using var test = await InteropTest.CreateAsync(server);
        // rq info runs RQ's registry cleanup, which fails a started job whose lease has lapsed: a 2 s heartbeat
        // (a 3 s lease) keeps a busy 2-core machine from making that happen to the live job below.
        var worker = test.StartTaskqWorker("default", "low", "--name", "cs-info", "--heartbeat", "2s");
        var running = await test.EnqueueAsync("interop_tasks.sleep", [6]);
        for (var i = 0; i < 3; i++) await test.EnqueueAsync("interop_tasks.add", [i, i], queue: "held");
        await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 1, 1 }, queue = "held" });
        await test.WaitForStatusAsync(running.Id, JobStatus.Started);
        await Eventually.HoldsAsync(async () => (await test.ControlAsync("workers")).EnumerateArray().Any(w => w.Str("state") == "busy"),
            "RQ to read taskq's worker as busy");

        var info = await test.RqAsync("info", "--raw");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("queue held 4", info.Stdout);
        Assert.Contains("queue default 0", info.Stdout);
        Assert.Matches(@"worker cs-info \(\S+ \S+ \d+\) busy default, low", info.Stdout);

        var workers = await test.ControlAsync("workers");
        var seen = Assert.Single(workers.EnumerateArray());
        Assert.Equal(("cs-info", running.Id, worker.Pid), (seen.Str("name"), seen.Str("current_job"), seen.GetProperty("pid").GetInt32()));
        Assert.Equal(["default", "low"], seen.Strings("queues"));

        // rq info cleans the registries as it reads them; a job whose lease is kept fresh is left running.
        Assert.Equal("slept", await running.WaitForResultAsync<string>(TimeSpan.FromSeconds(15), InteropTest.Ct));
        var counts = await test.Client.Queue("held").GetCountsAsync(InteropTest.Ct);
        Assert.Equal(4, counts.Queued);
    }

    [Fact(Timeout = 60_000)]
    public async Task RqRequeueAndEmpty_ActOnTaskqJobs()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var counter = Path.Combine(test.Folder, "flaky");
        var flaky = await test.EnqueueAsync("interop_tasks.flaky", [counter, 1], options: new EnqueueOptions { Meta = new Dictionary<string, object?> { ["kept"] = true } });
        var pythonFlaky = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.flaky", args = new object[] { counter + "-py", 1 } });
        var worker = test.StartTaskqWorker();
        await test.WaitForStatusAsync(flaky.Id, JobStatus.Failed);
        await test.WaitForStatusAsync(pythonFlaky, JobStatus.Failed);

        var requeue = await test.RqAsync("requeue", "--queue", "default", "--all");
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        Assert.Contains("Requeueing 2 jobs from failed queue", requeue.Stdout);

        Assert.Equal(2, await flaky.WaitForResultAsync<int>(TimeSpan.FromSeconds(15), InteropTest.Ct));
        Assert.Equal(2, await test.Client.Job(pythonFlaky).WaitForResultAsync<int>(TimeSpan.FromSeconds(15), InteropTest.Ct));
        var requeued = await flaky.GetInfoAsync(InteropTest.Ct);
        Assert.True(requeued!.Meta?.GetProperty("kept").GetBoolean());
        Assert.Null(requeued.ExcInfo);
        Assert.Equal(0, (await test.Client.Queue().GetCountsAsync(InteropTest.Ct)).Failed);

        // rq empty deletes the jobs waiting in a queue nobody serves, ours as RQ's.
        var waiting = new List<string>();
        for (var i = 0; i < 3; i++) waiting.Add((await test.EnqueueAsync("interop_tasks.add", [i, i], queue: "idle")).Id);
        waiting.Add(await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 1, 1 }, queue = "idle" }));
        var empty = await test.RqAsync("empty", "idle");
        Assert.True(empty.ExitCode == 0, empty.ToString());
        Assert.Contains("4 jobs removed from idle queue", empty.Stdout);
        Assert.Equal(0, (await test.Client.Queue("idle").GetCountsAsync(InteropTest.Ct)).Queued);
        foreach (var id in waiting) Assert.Null(await test.Client.Job(id).GetInfoAsync(InteropTest.Ct));
        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task RqSuspendAndResume_TaskqWorkerObeys()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var worker = test.StartTaskqWorker();
        await worker.WaitForOutputAsync("started with PID");

        var suspend = await test.RqAsync("suspend");
        Assert.True(suspend.ExitCode == 0, suspend.ToString());
        var job = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 1, 2 } });
        await worker.WaitForOutputAsync("Worker is suspended");
        await Task.Delay(TimeSpan.FromSeconds(2), InteropTest.Ct); // a suspended worker must not take it in this time
        Assert.Equal("queued", (await test.InspectAsync(job)).Str("status"));

        var resume = await test.RqAsync("resume");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        var finished = await test.WaitForRqStatusAsync(job, "finished", TimeSpan.FromSeconds(15));
        Assert.Equal(3, finished.GetProperty("return_value").GetInt32());
    }

    [Fact(Timeout = 60_000)]
    public async Task RqStopJobAndShutdownCommands_TaskqWorkerObeys()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var worker = test.StartTaskqWorker("--name", "cs-commanded");
        var job = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 60 } });
        await test.WaitForStatusAsync(job, JobStatus.Started);

        await test.ControlAsync("stop-job", job);
        var stopped = await test.WaitForRqStatusAsync(job, "stopped", TimeSpan.FromSeconds(10));
        // RQ 1.13 files a stopped job in its failed registry; so does TaskQueue.
        Assert.Equal(["failed"], stopped.Strings("registries"));
        Assert.Contains("stopped", stopped.Str("exc_info"));

        // The worker carries on after a stopped job, then a shutdown command ends it warmly: the running job finishes first.
        var last = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 2 } });
        await test.WaitForStatusAsync(last, JobStatus.Started);
        await test.ControlAsync("shutdown", "cs-commanded");
        await InteropTest.ExpectExitAsync(worker, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal("finished", (await test.InspectAsync(last)).Str("status"));
        Assert.Empty((await test.ControlAsync("workers")).EnumerateArray());
    }
}
