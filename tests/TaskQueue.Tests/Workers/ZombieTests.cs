using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

/// <summary>Jobs that ignore their cancellation, run in the worker's own process: each keeps its slot until its code
/// returns, so no more than the concurrency of job code ever runs, and too many of them stop the worker.</summary>
public sealed class ZombieTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Fact]
    public async Task SpinningJobsPastTimeout_ConcurrencyOne_NeverTwoLoopsAtOnceAndWorkerStopsWithError()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var options = new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) };
        var jobs = new List<Job>();
        for (var i = 0; i < 3; i++) jobs.Add(await q.Client.Queue().EnqueueAsync(() => SampleTasks.Spin(key, 60), options));
        try
        {
            var run = q.Worker(o =>
            {
                o.Concurrency = 1;
                o.CancelGrace = TimeSpan.FromMilliseconds(300);
            }).RunAsync();

            var stopped = await Assert.ThrowsAsync<ZombieJobsException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));

            Assert.Equal(1, stopped.Count);
            Assert.Equal(1, SampleTasks.MaxConcurrent[key]);
            var first = await jobs[0].GetInfoAsync();
            Assert.Equal(JobStatus.Failed, first!.Status);
            Assert.Equal("JobTimeoutException: Task exceeded maximum timeout value (1 seconds)", first.ExcInfo);
            // Stopped fetching: the other two were never started, and wait for a healthy worker.
            Assert.Equal(JobStatus.Queued, await jobs[1].GetStatusAsync());
            Assert.Equal(JobStatus.Queued, await jobs[2].GetStatusAsync());
        }
        finally
        {
            SampleTasks.StopSpinning[key] = true;
        }
    }

    [Fact]
    public async Task SpinningJobPastTimeout_BelowTheZombieLimit_KeepsItsSlotWhileOtherJobsRunThenFreesIt()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString();
        var spin = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Spin(key, 60), new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) });
        using var stop = new CancellationTokenSource();
        var worker = q.Worker(o =>
        {
            o.Concurrency = 2;
            o.MaxZombies = 3;
            o.CancelGrace = TimeSpan.FromMilliseconds(300);
        });
        var run = worker.RunAsync(stop.Token);
        try
        {
            await Eventually.HoldsAsync(async () => await spin.GetStatusAsync() == JobStatus.Failed, "the spinning job to fail at its timeout");
            var overlapKey = Guid.NewGuid().ToString();
            var others = await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 4).Select(_ => JobRequest.From(() => SampleTasks.OverlapAsync(overlapKey, 0.2, default))));
            foreach (var job in others) await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Finished, "a job beside the zombie to finish");
            // One slot left beside the zombie: the other jobs ran one at a time.
            Assert.Equal(1, SampleTasks.MaxConcurrent[overlapKey]);
            Assert.Equal(1, SampleTasks.Concurrent[key]);

            SampleTasks.StopSpinning[key] = true;
            await Eventually.HoldsAsync(() => Task.FromResult(SampleTasks.Concurrent[key] == 0), "the zombie to return");
            // Its slot is free again: two jobs that wait for each other's start both start.
            var gateKey = Guid.NewGuid().ToString();
            var gate = SampleTasks.Gates.GetOrAdd(gateKey, _ => new ManualResetEventSlim());
            var pair = await q.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 2).Select(_ => JobRequest.From(() => SampleTasks.Block(gateKey))));
            try
            {
                foreach (var job in pair) await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Started, "both slots to run a job");
            }
            finally
            {
                gate.Set();
            }
            foreach (var job in pair) await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Finished, "a job after the zombie to finish");
        }
        finally
        {
            SampleTasks.StopSpinning[key] = true;
            await stop.CancelAsync();
        }
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
