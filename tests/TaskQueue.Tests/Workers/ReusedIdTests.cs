using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

/// <summary>A job id enqueued again, with the default conflict choice (replace), through a real worker: a running job
/// is never run twice, and a job that ended leaves nothing behind for the new one (issue #15, defects 3, 4, 5 and 8).</summary>
public sealed class ReusedIdTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task RunningId_EnqueuedAgain_RefusedAndRunsOnce()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        var queue = q.Client.Queue();
        var job = await queue.EnqueueAsync("tests.gated", [key], options: new EnqueueOptions { JobId = "dup-" + key });
        var worker = q.Worker();
        var run = worker.RunAsync();
        try
        {
            await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Started, "the job to start");

            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => queue.EnqueueAsync("tests.gated", [key], options: new EnqueueOptions { JobId = job.Id }));

            Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
            Assert.Equal(JobStatus.Started, await job.GetStatusAsync());
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            Assert.Equal(1, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(20)));
            Assert.Equal(1, SampleTasks.Runs[key]);
        }
        finally
        {
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            worker.RequestStop();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task FinishedId_EnqueuedAgain_OldResultGoneWhileQueued()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        var first = await queue.EnqueueAsync("tests.add", [2, 3], options: new EnqueueOptions { JobId = "reused-" + Guid.NewGuid().ToString("N") });
        await q.RunBurstAsync();
        Assert.Equal(5, await first.GetResultAsync<int>());

        var again = await queue.EnqueueAsync("tests.add", [20, 30], options: new EnqueueOptions { JobId = first.Id });

        Assert.Equal(JobStatus.Queued, again.EnqueuedAs);
        Assert.Null(await again.GetResultAsync<int?>());
        Assert.Null((await again.GetInfoAsync())!.ResultJson);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Results(first.Id)));
        Assert.Null(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Finished, "default"), first.Id));
        await q.RunBurstAsync();
        Assert.Equal(50, await again.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task FailedId_EnqueuedAgainAndFinished_CountedOnceAsFinished()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        var id = "failed-" + Guid.NewGuid().ToString("N");
        await queue.EnqueueAsync("tests.fail", ["first try"], options: new EnqueueOptions { JobId = id });
        await q.RunBurstAsync();
        Assert.Equal(JobStatus.Failed, await q.Client.Job(id).GetStatusAsync());

        await queue.EnqueueAsync("tests.add", [1, 1], options: new EnqueueOptions { JobId = id });
        await q.RunBurstAsync();

        var counts = await queue.GetCountsAsync();
        Assert.Equal((0L, 1L), (counts.Failed, counts.Finished));
        var info = (await q.Client.Job(id).GetInfoAsync())!;
        Assert.Equal((JobStatus.Finished, "2"), (info.Status, info.ResultJson));
        Assert.Null(info.ExcInfo);
    }

    [Fact]
    public async Task QueuedId_EnqueuedTwiceWhileSuspended_OneQueueEntryOneRun()
    {
        await using var q = await CreateAsync();
        var control = q.Services.GetRequiredService<WorkerControl>();
        await control.SuspendAsync();
        var queue = q.Client.Queue();
        var key = Guid.NewGuid().ToString("N");

        await queue.EnqueueAsync("tests.count", options: new EnqueueOptions { JobId = key });
        await queue.EnqueueAsync("tests.count", options: new EnqueueOptions { JobId = key });

        Assert.Equal([key], (await q.Database.ListRangeAsync(q.Keys.Queue("default"))).Select(v => v.ToString()));
        await control.ResumeAsync();
        await q.RunBurstAsync();
        Assert.Equal(JobStatus.Finished, await q.Client.Job(key).GetStatusAsync());
        Assert.Equal(1, SampleTasks.Runs[key]);
    }
}
