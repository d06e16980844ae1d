using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;

namespace TaskQueue.Interop.Tests;

/// <summary>Python RQ enqueues, <c>taskq worker</c> runs, and Python reads the outcome with RQ's own API.</summary>
public sealed class PythonProducesTests(InteropServer server)
{
    [Fact(Timeout = 60_000)]
    public async Task PythonJobs_RunInTaskqWorker_RqReadsResultsAndFailures()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var ids = await test.EnqueueFromPythonAsync(
            new { func = "interop_tasks.add", args = new object[] { 2 }, kwargs = new { y = 3 } },
            new { func = "interop_tasks.shape", args = new object[] { "hi", new[] { 1, 2, 3 } }, kwargs = new { options = new { deep = new object?[] { 1, null } } } },
            new { func = "interop_tasks.fail", args = new object[] { "kaboom" } },
            new { func = "interop_tasks.nothing" });

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));

        var add = await test.InspectAsync(ids[0]);
        Assert.Equal("finished", add.Str("status"));
        Assert.Equal(5, add.GetProperty("return_value").GetInt32());
        Assert.Equal(5, add.GetProperty("result").GetInt32());
        Assert.Equal("SUCCESSFUL", add.GetProperty("latest_result").Str("type"));
        Assert.Equal(["finished"], add.Strings("registries"));

        var shape = await test.InspectAsync(ids[1]);
        Assert.Equal("""{"text":"HI","total":6,"options":{"deep":[1,null]}}""", shape.GetProperty("return_value").Compact());

        var fail = await test.InspectAsync(ids[2]);
        Assert.Equal("failed", fail.Str("status"));
        Assert.Contains("kaboom", fail.Str("exc_info"));
        Assert.Contains("InvalidOperationException", fail.Str("exc_info"));
        Assert.Equal("FAILED", fail.GetProperty("latest_result").Str("type"));
        Assert.Contains("kaboom", fail.GetProperty("latest_result").Str("exc_string"));
        Assert.Equal(["failed"], fail.Strings("registries"));

        // A task that returns nothing stores no result: RQ reads None, as it would for its own job.
        var nothing = await test.InspectAsync(ids[3]);
        Assert.Equal("finished", nothing.Str("status"));
        Assert.True(nothing.IsNull("return_value"));
    }

    [Fact(Timeout = 90_000)]
    public async Task PythonRetryWithIntervals_RunsUntilItSucceeds_RqReadsEachState()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var counter = Path.Combine(test.Folder, "flaky");
        var ok = await test.EnqueueFromPythonAsync(new
        {
            func = "interop_tasks.flaky", args = new object[] { counter, 2 }, retry = new { max = 2, interval = new[] { 3, 1 } },
        });
        var exhausted = await test.EnqueueFromPythonAsync(new
        {
            func = "interop_tasks.fail", args = new object[] { "always" }, retry = new { max = 1, interval = new[] { 1 } },
        });
        var worker = test.StartTaskqWorker("--with-scheduler");

        // The first failure schedules the retry, as RQ's worker does, for 3 s.
        var scheduled = await test.WaitForRqStatusAsync(ok, "scheduled");
        Assert.Equal(["scheduled"], scheduled.Strings("registries"));
        Assert.Equal(1, scheduled.GetProperty("retries_left").GetInt32());

        var finished = await test.WaitForRqStatusAsync(ok, "finished", TimeSpan.FromSeconds(30));
        Assert.Equal(3, finished.GetProperty("return_value").GetInt32());
        Assert.Equal(0, finished.GetProperty("retries_left").GetInt32());
        Assert.Equal([3, 1], finished.GetProperty("retry_intervals").EnumerateArray().Select(e => e.GetInt32()));

        var failed = await test.WaitForRqStatusAsync(exhausted, "failed", TimeSpan.FromSeconds(30));
        Assert.Contains("always", failed.Str("exc_info"));
        Assert.Equal(0, failed.GetProperty("retries_left").GetInt32());
        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task PythonJob_ArgumentsThatDoNotBind_FailWithReadableReason()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var id = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new object[] { "two" }, kwargs = new { y = 3 } });

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));

        var job = await test.InspectAsync(id);
        Assert.Equal("failed", job.Str("status"));
        Assert.StartsWith("TaskArgumentError: Argument 'x': cannot convert \"two\"", job.Str("exc_info"));
        var info = await test.JobAsync(id);
        Assert.Equal(JobStatus.Failed, info.Status);
    }
}
