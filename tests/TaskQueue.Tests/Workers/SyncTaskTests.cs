using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

/// <summary>Synchronous tasks run inline on their batch's thread while they are fast (SyncCalls, JobBatches):
/// a slow one must still not hold up the rest of its batch, nor outlive its timeout.</summary>
public sealed class SyncTaskTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task BlockingSyncJob_FirstInItsBatch_RestOfTheBatchStillRuns()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var gate = SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim());
        var blocker = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Block(key));
        var quick = await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 5).Select(i => JobRequest.From(() => SampleTasks.Add(i, i))));
        using var stop = new CancellationTokenSource();
        var run = q.Worker(o => o.Concurrency = 10).RunAsync(stop.Token);
        try
        {
            foreach (var job in quick)
            {
                await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Finished, "a job queued behind the blocking one to finish");
            }
            Assert.Equal(JobStatus.Started, await blocker.GetStatusAsync());
        }
        finally
        {
            gate.Set();
        }
        Assert.Equal("released", await blocker.WaitForResultAsync<string>(TimeSpan.FromSeconds(20)));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task BlockingSyncJob_IgnoresItsToken_FailedAtItsTimeoutWhileStillBlockedThenWorkerStops()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var gate = SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim());
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Block(key), new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) });
        var run = q.Worker(o => o.CancelGrace = TimeSpan.FromMilliseconds(200)).RunAsync();
        try
        {
            await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Failed, "the job to fail at its timeout");
            Assert.StartsWith("JobTimeoutException", (await job.GetInfoAsync())!.ExcInfo);
            Assert.False(gate.IsSet);
            // Its only slot is held by a zombie: the worker can run nothing more, and stops with an error.
            await Assert.ThrowsAsync<ZombieJobsException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            gate.Set();
        }
    }
}
