using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>A Python worker and TaskQueue's serve one queue at the same time: every job runs exactly once.</summary>
public sealed class SharedQueueTests(InteropServer server)
{
    private const int Jobs = 40;

    [Fact(Timeout = 120_000)]
    public async Task RqWorkerAndTaskqWorker_OnOneQueue_EveryJobRunsExactlyOnce()
    {
        await using var test = await InteropTest.CreateAsync(server);
        test.StartRqWorker();
        test.StartTaskqWorker("--concurrency", "2");
        await Eventually.HoldsAsync(async () => (await test.ControlAsync("workers")).GetArrayLength() == 2, "both workers to register");

        // Half from each side, interleaved; each job takes long enough that neither worker can drain the queue alone.
        var ids = new List<string>();
        for (var i = 0; i < Jobs / 2; i++)
        {
            ids.Add(await test.EnqueueFromPythonAsync(new { func = "interop_tasks.mark", args = new object[] { test.Folder, $"py{i}", 0.1 } }));
            ids.Add((await test.EnqueueAsync("interop_tasks.mark", [test.Folder, $"cs{i}", 0.1])).Id);
        }
        foreach (var id in ids) await test.WaitForStatusAsync(id, JobStatus.Finished, TimeSpan.FromSeconds(60));

        var runs = Directory.GetFiles(test.Folder).Select(f => Path.GetFileName(f).Split('.')).ToArray();
        var perJob = runs.GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Jobs, perJob.Count);
        Assert.All(perJob, r => Assert.True(r.Value == 1, $"{r.Key} ran {r.Value} times"));
        Assert.Contains(runs, r => r[1] == "python");
        Assert.Contains(runs, r => r[1] == "dotnet");
        var counts = await test.Client.Queue().GetCountsAsync(InteropTest.Ct);
        Assert.Equal((0, 0, 0, Jobs), (counts.Queued, counts.Started, counts.Failed, (int)counts.Finished));
    }
}
