using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Workers;

public sealed class WorkerLifecycleTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task Finish_TaskReturns_JobFinishedWithResultKept500Seconds()
    {
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(2, 3), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(JobStatus.Queued, job.EnqueuedAs);

        await q.RunBurstAsync();

        var info = await job.GetInfoAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(info);
        Assert.Equal(JobStatus.Finished, info.Status);
        Assert.Equal("5", info.ResultJson);
        Assert.Equal(5, await job.GetResultAsync<int>(TestContext.Current.CancellationToken));
        var ttl = await q.Database.KeyTimeToLiveAsync(q.Keys.Job(job.Id));
        Assert.InRange(ttl!.Value.TotalSeconds, 490, 500);
        Assert.True(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Finished, "default"), job.Id) is not null);
        Assert.Null(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Started, "default"), job.Id));
    }
}
