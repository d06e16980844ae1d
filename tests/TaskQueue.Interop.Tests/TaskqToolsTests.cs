using System.Text.Json;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>The mirror of <see cref="RqToolsTests"/>: <c>taskq</c>'s commands on RQ's worker and RQ's jobs.</summary>
public sealed class TaskqToolsTests(InteropServer server)
{
    [Fact(Timeout = 60_000)]
    public async Task TaskqCommands_OnRqWorkerAndRqJobs_ActAsOnTheirOwn()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var worker = test.StartRqWorker("--name", "py-worker");
        var running = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 60 } });
        var waiting = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 1, 2 }, queue = "idle" });
        await test.WaitForStatusAsync(running, JobStatus.Started);

        var info = JsonDocument.Parse((await test.TaskqAsync("info", "--json")).Stdout).RootElement;
        var seen = Assert.Single(info.GetProperty("workers").EnumerateArray());
        Assert.Equal(("py-worker", "busy", running), (seen.Str("name"), seen.Str("state"), seen.Str("current_job")));
        Assert.Equal(["default"], seen.Strings("queues"));
        var idle = info.GetProperty("queues").EnumerateArray().Single(q => q.Str("name") == "idle");
        Assert.Equal(1, idle.GetProperty("queued").GetInt32());

        // taskq stop-job reaches RQ's worker over RQ's channel; RQ stops the job as it stops its own.
        var stop = await test.TaskqAsync("stop-job", running);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await test.WaitForStatusAsync(running, JobStatus.Stopped, TimeSpan.FromSeconds(15));

        // taskq requeue puts RQ's stopped job back, and RQ's worker runs it again (briefly this time: requeue keeps the
        // arguments, so the job is stopped again once it is running).
        var requeue = await test.TaskqAsync("requeue", running);
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        await test.WaitForStatusAsync(running, JobStatus.Started, TimeSpan.FromSeconds(15));
        await test.TaskqAsync("stop-job", running);
        await test.WaitForStatusAsync(running, JobStatus.Stopped, TimeSpan.FromSeconds(15));

        // taskq cancel on a job RQ queued: RQ reads it canceled.
        var cancel = await test.TaskqAsync("cancel", waiting);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        var canceled = await test.InspectAsync(waiting);
        Assert.Equal("canceled", canceled.Str("status"));
        Assert.Equal(["canceled"], canceled.Strings("registries"));
        Assert.False(canceled.GetProperty("in_queue").GetBoolean());
        Assert.False(worker.HasExited, worker.Output);
    }
}
