using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Hosting;

namespace TaskQueue.Tests.Workers;

/// <summary>Jobs that cannot run fail with a readable reason in the failed registry, and the worker carries on.</summary>
public sealed class BadInputTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));

    private static async Task<JobInfo> RunOneAsync(TestQueue q, Job bad)
    {
        var good = await q.Client.Queue().EnqueueAsync("tests.add", [1, 2]);
        await q.RunBurstAsync();
        Assert.Equal(JobStatus.Finished, await good.GetStatusAsync());
        var info = await bad.GetInfoAsync();
        Assert.Equal(JobStatus.Failed, info!.Status);
        Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Failed, "default"), bad.Id));
        return info;
    }

    [Fact]
    public async Task UnknownTask_Failed_SaysNoSuchTask()
    {
        await using var q = await CreateAsync();
        var bad = await q.Client.Queue().EnqueueAsync("tests.no_such_task", [1]);

        var info = await RunOneAsync(q, bad);

        Assert.StartsWith("UnknownTaskError: no task named 'tests.no_such_task'", info.ExcInfo);
    }

    [Fact]
    public async Task WrongArgumentTypes_Failed_NamesTheArgument()
    {
        await using var q = await CreateAsync();
        var bad = await q.Client.Queue().EnqueueAsync("tests.add", ["two", 3], options: new EnqueueOptions { Retry = new Retry(3) });

        var info = await RunOneAsync(q, bad);

        Assert.StartsWith("TaskArgumentError: Argument 'x': cannot convert \"two\" to Int32", info.ExcInfo);
        Assert.Equal(3, info.RetriesLeft);
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0x9C, 0x01, 0x02, 0x03 })]
    [InlineData(new byte[] { (byte)'[', (byte)'1' })]
    [InlineData(new byte[] { 0x80, 0x05, 0x95, 0x00 })]
    public async Task CorruptData_Failed_SaysWhatIsWrong(byte[] data)
    {
        await using var q = await CreateAsync();
        var bad = await q.Client.Queue().EnqueueAsync("tests.nothing");
        await q.Database.HashSetAsync(q.Keys.Job(bad.Id), "data", data);

        var info = await RunOneAsync(q, bad);

        Assert.StartsWith("JobDataError: ", info.ExcInfo);
    }

    [Fact]
    public async Task UnknownCallback_FailedBeforeTheTaskRuns()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        var bad = await q.Client.Queue().EnqueueAsync("tests.record", [key, "ran"], options: new EnqueueOptions { OnSuccess = "python.only.callback" });

        var info = await RunOneAsync(q, bad);

        Assert.StartsWith("UnknownTaskError: callback 'python.only.callback' is not a registered task", info.ExcInfo);
        Assert.Empty(SampleTasks.OrderOf(key));
    }

    [Fact]
    public async Task Rq2Repeat_FailedBeforeTheTaskRuns()
    {
        await using var q = await CreateAsync();
        var key = Guid.NewGuid().ToString("N");
        var bad = await q.Client.Queue().EnqueueAsync("tests.record", [key, "ran"]);
        await q.Database.HashSetAsync(q.Keys.Job(bad.Id), [new("repeats_left", "2"), new("repeat_intervals", "[1]")]);

        var info = await RunOneAsync(q, bad);

        Assert.StartsWith("UnsupportedJobError: the job asks for RQ 2.x's Repeat (repeats_left=2)", info.ExcInfo);
        Assert.Empty(SampleTasks.OrderOf(key));
    }

    [Fact]
    public async Task MissingHash_IdInQueue_DroppedAndWorkerCarriesOn()
    {
        await using var q = await CreateAsync();
        await q.Database.ListRightPushAsync(q.Keys.Queue("default"), "no-such-job");
        await q.Database.SetAddAsync(q.Keys.Queues, q.Keys.Queue("default"));
        var good = await q.Client.Queue().EnqueueAsync("tests.add", [1, 2]);

        await q.RunBurstAsync();

        Assert.Equal(JobStatus.Finished, await good.GetStatusAsync());
        Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task HandWrittenRqJob_Echo_FinishedWithResult()
    {
        await using var q = await CreateAsync();
        // As Python RQ 1.13 with JSONSerializer writes it (shared/reference/rq/mon_enq_1.13.txt), with uncompressed data.
        await q.Database.HashSetAsync(q.Keys.Job("by-hand"),
        [
            new("status", "queued"), new("created_at", "2026-11-28T12:53:43.464724Z"), new("data", """["taskq.echo", null, ["hi"], {}]"""),
            new("success_callback_name", ""), new("failure_callback_name", ""), new("started_at", ""), new("ended_at", ""),
            new("last_heartbeat", ""), new("worker_name", ""), new("origin", "default"), new("description", "taskq.echo('hi')"),
            new("enqueued_at", "2026-11-28T12:53:43.466762Z"), new("timeout", "180"),
        ]);
        await q.Database.SetAddAsync(q.Keys.Queues, q.Keys.Queue("default"));
        await q.Database.ListRightPushAsync(q.Keys.Queue("default"), "by-hand");

        await q.RunBurstAsync();

        Assert.Equal("hi", await q.Client.Job("by-hand").WaitForResultAsync<string>(TimeSpan.FromSeconds(5)));
    }
}
