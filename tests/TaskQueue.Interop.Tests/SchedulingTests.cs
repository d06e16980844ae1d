using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>Scheduled jobs written by one side are moved to their queue by the other side's scheduler, and one
/// scheduler at a time holds a queue (<c>rq:scheduler-lock:&lt;queue&gt;</c>), whichever side it is.</summary>
public sealed class SchedulingTests(InteropServer server)
{
    private const string Lock = "rq:scheduler-lock:default";

    [Fact(Timeout = 60_000)]
    public async Task PythonEnqueueIn_TaskqSchedulerRunsIt()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var worker = test.StartTaskqWorker("--with-scheduler", "--name", "cs-scheduler");
        await Eventually.HoldsAsync(async () => await test.Redis.StringGetAsync(Lock) == "cs-scheduler", "taskq's scheduler to take the lock");

        var id = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 20, 22 }, enqueue_in = 2 });
        var scheduled = await test.InspectAsync(id);
        Assert.Equal("scheduled", scheduled.Str("status"));
        Assert.Equal(["scheduled"], scheduled.Strings("registries"));

        var finished = await test.WaitForRqStatusAsync(id, "finished", TimeSpan.FromSeconds(20));
        Assert.Equal(42, finished.GetProperty("return_value").GetInt32());
        var job = await test.JobAsync(id);
        Assert.True(job.StartedAt >= job.CreatedAt + TimeSpan.FromSeconds(1.5), $"ran at {job.StartedAt:O}, enqueued at {job.CreatedAt:O}");
        Assert.False(worker.HasExited, worker.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task DotnetEnqueueIn_RqSchedulerRunsIt()
    {
        await using var test = await InteropTest.CreateAsync(server);
        test.StartRqWorker("--with-scheduler");
        await Eventually.HoldsAsync(async () => (await test.Redis.StringGetAsync(Lock)).HasValue, "RQ's scheduler to take the lock");

        var job = await test.EnqueueAsync("interop_tasks.add", [20, 22], options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(2) });
        var cli = await test.EnqueueWithTaskqAsync("interop_tasks.add", "--args", "[1, 2]", "--in", "2s");
        Assert.Equal(JobStatus.Scheduled, job.EnqueuedAs);
        Assert.Equal("scheduled", (await test.InspectAsync(job.Id)).Str("status"));

        Assert.Equal(42, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(20), InteropTest.Ct));
        Assert.Equal(3, await test.Client.Job(cli).WaitForResultAsync<int>(TimeSpan.FromSeconds(20), InteropTest.Ct));
        var info = await job.GetInfoAsync(InteropTest.Ct);
        Assert.True(info!.StartedAt >= info.CreatedAt + TimeSpan.FromSeconds(1.5), $"ran at {info.StartedAt:O}, enqueued at {info.CreatedAt:O}");
    }

    [Fact(Timeout = 90_000)]
    public async Task BothSchedulersOnOneQueue_OneHoldsTheLock_EveryScheduledJobRunsOnce()
    {
        await using var test = await InteropTest.CreateAsync(server);
        test.StartTaskqWorker("--with-scheduler", "--name", "cs-scheduler");
        await Eventually.HoldsAsync(async () => await test.Redis.StringGetAsync(Lock) == "cs-scheduler", "taskq's scheduler to take the lock");
        var rq = test.StartRqWorker("--with-scheduler");
        await rq.WaitForOutputAsync("Listening on");

        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add(await test.EnqueueFromPythonAsync(new { func = "interop_tasks.mark", args = new object[] { test.Folder, $"py{i}" }, enqueue_in = 1 + i % 2 }));
            ids.Add((await test.EnqueueAsync("interop_tasks.mark", [test.Folder, $"cs{i}"],
                options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(1 + i % 2) })).Id);
        }
        foreach (var id in ids) await test.WaitForStatusAsync(id, JobStatus.Finished, TimeSpan.FromSeconds(30));

        Assert.Equal("cs-scheduler", await test.Redis.StringGetAsync(Lock));
        var runs = Directory.GetFiles(test.Folder).Select(f => Path.GetFileName(f).Split('.')[0]).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(8, runs.Count);
        Assert.All(runs, r => Assert.True(r.Value == 1, $"{r.Key} ran {r.Value} times"));
    }
}
