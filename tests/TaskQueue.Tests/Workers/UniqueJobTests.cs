using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Workers;

/// <summary>Unique jobs through the C# API and a real worker: a chosen job id is the uniqueness key, and each
/// <see cref="OnConflict"/> choice does what it says, also when many producers race for one id.</summary>
public sealed class UniqueJobTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    [Theory]
    [InlineData(OnConflict.Replace)]
    [InlineData(OnConflict.Reject)]
    [InlineData(OnConflict.ReturnExisting)]
    public async Task FiftyProducers_SameIdAtOnce_ExactlyOneRun(OnConflict onConflict)
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        var worker = q.Worker(o => o.Concurrency = 4);
        var run = worker.RunAsync();
        try
        {
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var producers = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
            {
                await go.Task;
                try
                {
                    return await q.Client.Queue().EnqueueAsync("tests.gated", [key],
                        options: new EnqueueOptions { JobId = key, OnConflict = onConflict });
                }
                catch (JobConflictException)
                {
                    return null;
                }
            })).ToArray();
            go.SetResult();
            var handles = await Task.WhenAll(producers);
            await Eventually.HoldsAsync(async () => await q.Client.Job(key).GetStatusAsync() == JobStatus.Started, "the job to start");
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            await Eventually.HoldsAsync(async () => await q.Client.Job(key).GetStatusAsync() == JobStatus.Finished, "the job to finish");

            Assert.Equal(1, SampleTasks.Runs[key]);
            Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
            Assert.Equal(1, await q.Database.SortedSetLengthAsync(q.Keys.Registry(Registry.Finished, "default")));
            // Exactly one call enqueued a job the first time; the others replaced it while queued, or were told it exists.
            Assert.Contains(handles, h => h?.EnqueuedAs == JobStatus.Queued);
            if (onConflict == OnConflict.Reject) Assert.Single(handles, h => h is not null);
            if (onConflict == OnConflict.ReturnExisting)
            {
                Assert.Single(handles, h => h!.ExistingStatus is null);
                Assert.All(handles, h => Assert.Equal(key, h!.Id));
            }
        }
        finally
        {
            SampleTasks.Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Set();
            worker.RequestStop();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task Reject_QueuedId_ThrowsWithTheStatusAndKeepsTheFirstCall()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        await queue.EnqueueAsync("tests.add", [1, 2], options: new EnqueueOptions { JobId = "once" });

        var error = await Assert.ThrowsAsync<JobConflictException>(() =>
            queue.EnqueueAsync("tests.add", [5, 5], options: new EnqueueOptions { JobId = "once", OnConflict = OnConflict.Reject }));

        Assert.Equal([new JobConflict("once", JobStatus.Queued, OnConflict.Reject)], error.Conflicts);
        Assert.Contains("is queued", error.Message);
        await q.RunBurstAsync();
        Assert.Equal(3, await q.Client.Job("once").WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ReturnExisting_ScheduledId_HandleOnTheLiveJob()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        var first = await queue.EnqueueAsync("tests.add", [1, 2], options: new EnqueueOptions { JobId = "later", EnqueueIn = TimeSpan.FromHours(1) });

        var second = await queue.EnqueueAsync("tests.add", [5, 5],
            options: new EnqueueOptions { JobId = "later", OnConflict = OnConflict.ReturnExisting, EnqueueIn = TimeSpan.FromHours(2) });

        Assert.Equal((JobStatus.Scheduled, (JobStatus?)null), (first.EnqueuedAs, first.ExistingStatus));
        Assert.Equal(((JobStatus?)null, JobStatus.Scheduled), (second.EnqueuedAs, second.ExistingStatus));
        Assert.Equal("later", second.Id);
        Assert.Equal("tests.add", (await second.GetInfoAsync())!.Call!.TaskName);
        Assert.Equal("[1,2]", "[" + string.Join(",", (await second.GetInfoAsync())!.Call!.Args.Select(a => a.GetRawText())) + "]");
    }

    [Fact]
    public async Task EnqueueMany_SomeIdsRefused_OthersEnqueuedThenThrows()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        await queue.EnqueueAsync("tests.add", [1, 1], options: new EnqueueOptions { JobId = "taken" });
        var reject = new EnqueueOptions { JobId = "taken", OnConflict = OnConflict.Reject };

        var error = await Assert.ThrowsAsync<JobConflictException>(() => queue.EnqueueManyAsync(
        [
            JobRequest.Create("tests.add", [2, 2], options: new EnqueueOptions { JobId = "free" }),
            JobRequest.Create("tests.add", [3, 3], options: reject),
            JobRequest.Create("tests.add", [4, 4]),
        ]));

        Assert.Equal("taken", Assert.Single(error.Conflicts).JobId);
        Assert.Equal(3, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task Replace_ScheduledRepeatedly_DebouncedToOneRunWithTheLastArguments()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        foreach (var n in new[] { 1, 2, 3 })
        {
            await queue.EnqueueAsync("tests.add", [n, 100], options: new EnqueueOptions { JobId = "debounced", EnqueueIn = TimeSpan.FromMilliseconds(300) });
        }

        var worker = q.Worker(o => o.WithScheduler = true);
        var run = worker.RunAsync();
        try
        {
            Assert.Equal(103, await q.Client.Job("debounced").WaitForResultAsync<int>(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            worker.RequestStop();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        var counts = await queue.GetCountsAsync();
        Assert.Equal((1L, 0L, 0L), (counts.Finished, counts.Scheduled, counts.Queued));
    }
}
