using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Workers;

/// <summary>Queue limits through in-process workers: a throttled queue is waited for, not given up on or overrun.</summary>
public sealed class QueueLimitTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task Concurrency_TwoAcrossTwoWorkers_NeverMoreThanTwoRun()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        await q.Client.Queue().SetLimitsAsync(new QueueLimits { Concurrency = 2 });
        await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 8).Select(_ => JobRequest.Create("tests.overlap", [key, 0.2])));

        await Task.WhenAll(q.RunBurstAsync(o => o.Concurrency = 4, TimeSpan.FromSeconds(60)), q.RunBurstAsync(o => o.Concurrency = 4, TimeSpan.FromSeconds(60)));

        Assert.Equal(8, (await q.Client.Queue().GetCountsAsync()).Finished);
        Assert.InRange(SampleTasks.MaxConcurrent[key], 1, 2);
    }

    [Fact]
    public async Task Rate_BurstWorkerHeldBack_WaitsAndRunsEveryJobBeforeExiting()
    {
        await using var q = await CreateAsync();
        await q.Client.Queue().SetLimitsAsync(new QueueLimits { Rate = new RateLimit(2, TimeSpan.FromMilliseconds(300)) });
        var jobs = await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 5).Select(i => JobRequest.Create("tests.add", [i, 1])));

        await q.RunBurstAsync(o => o.Concurrency = 10, TimeSpan.FromSeconds(60));

        foreach (var job in jobs) Assert.Equal(JobStatus.Finished, await job.GetStatusAsync());
    }

    [Fact]
    public async Task LimitedQueueHeldBack_OtherQueueOfTheWorker_StillServed()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        await q.Client.Queue("slow").SetLimitsAsync(new QueueLimits { Concurrency = 1 });
        var gated = await q.Client.Queue("slow").EnqueueManyAsync([JobRequest.Create("tests.gated", [key]), JobRequest.Create("tests.gated", [key])]);
        var worker = q.Worker(o => (o.Queues, o.Concurrency) = (["slow", "fast"], 4));
        var run = worker.RunAsync();
        try
        {
            await Eventually.HoldsAsync(async () => await gated[0].GetStatusAsync() == JobStatus.Started, "the first slow job to start");
            var fast = await q.Client.Queue("fast").EnqueueAsync("tests.add", [2, 2]);

            Assert.Equal(4, await fast.WaitForResultAsync<int>(TimeSpan.FromSeconds(20)));
            Assert.Equal(JobStatus.Queued, await gated[1].GetStatusAsync());
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            Assert.Equal(2, await gated[1].WaitForResultAsync<int>(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            worker.RequestStop();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
