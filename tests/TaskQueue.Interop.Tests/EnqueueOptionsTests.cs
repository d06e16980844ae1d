using System.Text.Json;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;

namespace TaskQueue.Interop.Tests;

/// <summary>RQ's enqueue options survive the trip both ways: the other side's worker honours them, and both sides
/// read them back.</summary>
public sealed class EnqueueOptionsTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task PythonOptions_TaskqWorkerHonoursThem()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var meta = new { owner = "python", n = 1 };
        var ids = await test.EnqueueFromPythonAsync(
            new { func = "interop_tasks.add", args = new[] { 1, 2 }, job_id = "py-described", description = "adds from python", meta, result_ttl = 1000 },
            new { func = "interop_tasks.job_meta", meta },
            new { func = "interop_tasks.sleep", args = new[] { 20 }, timeout = 1 },
            new { func = "interop_tasks.fail", args = new[] { "kept briefly" }, failure_ttl = 100 },
            new { func = "interop_tasks.add", args = new[] { 1, 1 }, result_ttl = 0 },
            new { func = "interop_tasks.add", args = new[] { 2, 2 }, result_ttl = -1 },
            new { func = "interop_tasks.add", args = new[] { 3, 3 }, ttl = 1 },
            new { func = "interop_tasks.add", args = new[] { 4, 4 }, ttl = 300 },
            new { func = "interop_tasks.add", args = new[] { 5, 5 }, at_front = true },
            new { func = "interop_tasks.sleep", args = new[] { 1 }, timeout = -1 });
        // The job with ttl=1 must expire while it waits in the queue.
        await WaitUntilAsync(async () => !(await test.InspectAsync(ids[6])).GetProperty("exists").GetBoolean(), "the ttl=1 job to expire");

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));

        var described = await test.InspectAsync("py-described");
        Assert.Equal(("finished", "adds from python"), (described.Str("status"), described.Str("description")));
        Assert.Equal("""{"owner":"python","n":1}""", described.GetProperty("meta").Compact());
        Assert.InRange(described.GetProperty("key_ttl").GetInt32(), 900, 1000);
        var info = await test.JobAsync("py-described");
        Assert.Equal(("adds from python", "python"), (info.Description, info.Meta?.GetProperty("owner").GetString()));

        Assert.Equal("""{"owner":"python","n":1}""", (await test.InspectAsync(ids[1])).GetProperty("return_value").Compact());

        var timedOut = await test.InspectAsync(ids[2]);
        Assert.Equal("failed", timedOut.Str("status"));
        Assert.Contains("JobTimeoutException: Task exceeded maximum timeout value (1 seconds)", timedOut.Str("exc_info"));

        var failed = await test.InspectAsync(ids[3]);
        Assert.Equal("failed", failed.Str("status"));
        Assert.InRange(failed.GetProperty("key_ttl").GetInt32(), 50, 100);

        Assert.False((await test.InspectAsync(ids[4])).GetProperty("exists").GetBoolean());
        Assert.Equal(-1, (await test.InspectAsync(ids[5])).GetProperty("key_ttl").GetInt32());
        Assert.False(await test.Redis.KeyExistsAsync("rq:job:" + ids[6]));
        var longTtl = await test.InspectAsync(ids[7]);
        Assert.Equal("finished", longTtl.Str("status"));
        Assert.InRange(longTtl.GetProperty("key_ttl").GetInt32(), 400, 500);

        Assert.Equal("slept", (await test.InspectAsync(ids[9])).Str("return_value"));

        // at_front: the job enqueued at the front ran before the first one.
        var started = await Task.WhenAll(new[] { ids[0], ids[8] }.Select(test.JobAsync));
        Assert.True(started[1].StartedAt < started[0].StartedAt, "the at_front job should have started before the first job");
    }

    [Fact(Timeout = 90_000)]
    public async Task DotnetOptions_RqWorkerHonoursThem()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var meta = new Dictionary<string, object?> { ["owner"] = "dotnet", ["n"] = 1 };
        var described = await test.EnqueueAsync("interop_tasks.add", [1, 2], options: new EnqueueOptions
        {
            JobId = "cs-described", Description = "adds from dotnet", Meta = meta, ResultTtl = TimeSpan.FromSeconds(1000),
        });
        var metaJob = await test.EnqueueAsync("interop_tasks.job_meta", options: new EnqueueOptions { Meta = meta });
        var timedOut = await test.EnqueueAsync("interop_tasks.sleep", [20], options: new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) });
        var failed = await test.EnqueueAsync("interop_tasks.fail", ["kept briefly"], options: new EnqueueOptions { FailureTtl = TimeSpan.FromSeconds(100) });
        var dropped = await test.EnqueueAsync("interop_tasks.add", [1, 1], options: new EnqueueOptions { ResultTtl = TimeSpan.Zero });
        var forever = await test.EnqueueAsync("interop_tasks.add", [2, 2], options: new EnqueueOptions { ResultTtl = Timeout.InfiniteTimeSpan });
        var expired = await test.EnqueueAsync("interop_tasks.add", [3, 3], options: new EnqueueOptions { Ttl = TimeSpan.FromSeconds(1) });
        var longTtl = await test.EnqueueAsync("interop_tasks.add", [4, 4], options: new EnqueueOptions { Ttl = TimeSpan.FromSeconds(300) });
        var front = await test.EnqueueAsync("interop_tasks.add", [5, 5], options: new EnqueueOptions { AtFront = true });
        var cli = await test.EnqueueWithTaskqAsync("interop_tasks.add", "--args", "[6, 6]", "--job-id", "cli-described", "--description", "from the cli",
            "--timeout", "30s", "--result-ttl", "700");
        await WaitUntilAsync(async () => !await test.Redis.KeyExistsAsync("rq:job:" + expired.Id), "the 1 s ttl job to expire");

        // What Python RQ reads before it runs anything: the options as TaskQueue wrote them.
        var before = await test.InspectAsync("cs-described");
        Assert.Equal(("queued", "adds from dotnet", 1000), (before.Str("status"), before.Str("description"), before.GetProperty("result_ttl").GetInt32()));
        Assert.Equal("""{"owner":"dotnet","n":1}""", before.GetProperty("meta").Compact());
        var cliBefore = await test.InspectAsync(cli);
        Assert.Equal(("from the cli", 30, 700), (cliBefore.Str("description"), cliBefore.GetProperty("timeout").GetInt32(), cliBefore.GetProperty("result_ttl").GetInt32()));

        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));

        var info = await test.JobAsync("cs-described");
        Assert.Equal((JobStatus.Finished, "adds from dotnet", "3"), (info.Status, info.Description, info.ResultJson));
        Assert.Equal("dotnet", info.Meta?.GetProperty("owner").GetString());
        Assert.InRange(await KeyTtlAsync(test, "cs-described"), 900, 1000);
        Assert.Equal("""{"owner":"dotnet","n":1}""", JsonDocument.Parse((await metaJob.GetInfoAsync(InteropTest.Ct))!.ResultJson!).RootElement.Compact());

        var timeout = await timedOut.WaitAsync(TimeSpan.FromSeconds(5), InteropTest.Ct);
        Assert.Equal(JobStatus.Failed, timeout.Status);
        Assert.Contains("JobTimeoutException", timeout.ExcInfo);

        Assert.Equal(JobStatus.Failed, (await failed.GetInfoAsync(InteropTest.Ct))!.Status);
        Assert.InRange(await KeyTtlAsync(test, failed.Id), 50, 100);
        Assert.Null(await dropped.GetInfoAsync(InteropTest.Ct));
        Assert.Equal(-1, await KeyTtlAsync(test, forever.Id));
        Assert.Null(await expired.GetInfoAsync(InteropTest.Ct));
        Assert.Equal(JobStatus.Finished, await longTtl.GetStatusAsync(InteropTest.Ct));
        Assert.Equal(12, await test.Client.Job(cli).GetResultAsync<int>(InteropTest.Ct));

        var started = await Task.WhenAll(new[] { described.Id, front.Id }.Select(test.JobAsync));
        Assert.True(started[1].StartedAt < started[0].StartedAt, "the at_front job should have started before the first job");
    }

    private static async Task<long> KeyTtlAsync(InteropTest test, string id) =>
        (long)(await test.Redis.ExecuteAsync("TTL", "rq:job:" + id));

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        TestSupport.Eventually.HoldsAsync(condition, what, TimeSpan.FromSeconds(10));
}
