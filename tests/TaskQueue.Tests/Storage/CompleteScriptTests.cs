using System.Text;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>Complete = Dequeue + Finish + Fail in one call; each part on its own here.</summary>
public sealed class CompleteScriptTests(TestBroker broker)
{
    [Fact]
    public async Task Dequeue_SeveralQueues_TakesStrictPriorityOrderUpToCount()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (low1, _) = await s.EnqueueAsync(queue: "low");
        var (high1, _) = await s.EnqueueAsync(queue: "high");
        var (high2, _) = await s.EnqueueAsync(queue: "high");
        var (low2, _) = await s.EnqueueAsync(queue: "low");

        var started = await s.DequeueAsync("w1", 3, "high", "low");

        Assert.Equal([high1, high2, low1], started.Select(j => j.Id));
        Assert.Equal([low2], await s.QueuedAsync("low"));
    }

    [Fact]
    public async Task Dequeue_Job_MovesIntoStartedRegistryWithLeaseInOneStep()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync("tests.add", [2, 3], new EnqueueOptions { Timeout = TimeSpan.FromSeconds(30) });

        var job = Assert.Single(await s.DequeueAsync("w1"));

        Assert.Equal(id, job.Id);
        Assert.Equal("default", job.Queue);
        Assert.Equal(30, job.TimeoutSeconds);
        Assert.Equal("tests.add", JobData.Decode(job.Data).TaskName);
        Assert.Empty(await s.QueuedAsync());
        Assert.Equal(s.Now + 10, await s.ScoreAsync(Registry.Started, id));
        Assert.Equal("started", await s.FieldAsync(id, "status"));
        Assert.Equal("w1", await s.FieldAsync(id, "worker_name"));
        Assert.Equal(RqTime.ToIso(StoreFixture.Start), await s.FieldAsync(id, "started_at"));
    }

    [Fact]
    public async Task Dequeue_IdWithoutHash_DroppedAndCounted()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.ListRightPushAsync(s.Keys.Queue("default"), "ghost");
        var (id, _) = await s.EnqueueAsync();

        var result = await s.Workers.CompleteAsync("w1", [], ["default"], 5, TimeSpan.FromSeconds(10));

        Assert.Equal(new SkippedJob("ghost", SkipReason.Gone, null), Assert.Single(result.Skipped));
        Assert.Equal(id, Assert.Single(result.Started).Id);
    }

    [Fact]
    public async Task Dequeue_IdOfAJobNoLongerQueued_DroppedNotRunAgain()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");
        await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));
        await s.Db.ListRightPushAsync(s.Keys.Queue("default"), id);

        var result = await s.Workers.CompleteAsync("w2", [], ["default"], 5, TimeSpan.FromSeconds(10));

        Assert.Equal(new SkippedJob(id, SkipReason.NotQueued, null), Assert.Single(result.Skipped));
        Assert.Empty(result.Started);
        Assert.Equal("finished", await s.FieldAsync(id, "status"));
    }

    [Fact]
    public async Task Dequeue_AskedForEnqueuedAt_EveryJobCarriesIt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (plain, _) = await s.EnqueueAsync();
        var (timed, _) = await s.EnqueueAsync(options: new EnqueueOptions { Timeout = TimeSpan.FromSeconds(5) });

        var asked = await s.Workers.CompleteAsync("w1", [], ["default"], 1, TimeSpan.FromSeconds(10), withEnqueuedAt: true);
        var notAsked = await s.DequeueAsync("w1");

        Assert.Equal((plain, StoreFixture.Start), (asked.Started[0].Id, asked.Started[0].EnqueuedAt));
        Assert.Equal((timed, 5L, (DateTimeOffset?)null), (notAsked[0].Id, notAsked[0].TimeoutSeconds, notAsked[0].EnqueuedAt));
    }

    [Fact]
    public async Task Dequeue_PausedQueue_PassedOverAndNamed()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.EnqueueAsync(queue: "high");
        var (low, _) = await s.EnqueueAsync(queue: "low");
        await s.Jobs.PauseAsync("high");

        var result = await s.Workers.CompleteAsync("w1", [], ["high", "low"], 5, TimeSpan.FromSeconds(10));

        Assert.Equal(low, Assert.Single(result.Started).Id);
        Assert.Equal(["high"], result.Paused);
        Assert.Single(await s.QueuedAsync("high"));
    }

    [Fact]
    public async Task Dequeue_Suspended_TakesNothingButSaysSo()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.EnqueueAsync();
        await s.Db.StringSetAsync(s.Keys.Suspended, 1);

        var result = await s.Workers.CompleteAsync("w1", [], ["default"], 5, TimeSpan.FromSeconds(10));

        Assert.True(result.Suspended);
        Assert.Empty(result.Started);
        Assert.Single(await s.QueuedAsync());
    }

    [Fact]
    public async Task Finish_OwnJob_FinishedWithResultWhereRqReadsIt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");

        var result = await s.CompleteAsync("w1", new JobSucceeded(id, "default", "5"u8.ToArray()));

        Assert.Equal(Recording.Finished, Assert.Single(result.Recorded));
        Assert.Equal("finished", await s.FieldAsync(id, "status"));
        Assert.Null(await s.ScoreAsync(Registry.Started, id));
        Assert.Equal(s.Now + 500, await s.ScoreAsync(Registry.Finished, id));
        Assert.InRange((await s.TtlAsync(s.Keys.Job(id)))!.Value.TotalSeconds, 495, 500);
        if (s.Streams)
        {
            var entry = Assert.Single(await s.Db.StreamRangeAsync(s.Keys.Results(id)));
            Assert.Equal("1", entry["type"]);
            Assert.Equal("5", Encoding.UTF8.GetString(Convert.FromBase64String(entry["return_value"]!)));
            Assert.InRange((await s.TtlAsync(s.Keys.Results(id)))!.Value.TotalSeconds, 495, 500);
            Assert.Null(await s.FieldAsync(id, "result"));
        }
        else
        {
            Assert.Equal("5", await s.FieldAsync(id, "result"));
        }
        Assert.Equal("5", (await s.Jobs.GetAsync(id))!.ResultJson);
    }

    [Fact]
    public async Task Finish_ResultTtlZero_DeletesTheJobAtOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { ResultTtl = TimeSpan.Zero });
        await s.DequeueAsync();

        await s.CompleteAsync("w1", new JobSucceeded(id, "default", "5"u8.ToArray()));

        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Job(id)));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Results(id)));
        Assert.Null(await s.ScoreAsync(Registry.Finished, id));
    }

    [Fact]
    public async Task Finish_ResultTtlForever_KeptWithoutExpiry()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { ResultTtl = Timeout.InfiniteTimeSpan });
        await s.DequeueAsync();

        await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));

        Assert.Null(await s.TtlAsync(s.Keys.Job(id)));
        Assert.Equal(double.PositiveInfinity, await s.ScoreAsync(Registry.Finished, id));
    }

    [Fact]
    public async Task Finish_JobRescuedByAnotherWorker_NotOwnedAndLeftAlone()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");
        await s.Db.HashSetAsync(s.Keys.Job(id), "worker_name", "w2");

        var result = await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));

        Assert.Equal(Recording.NotOwned, Assert.Single(result.Recorded));
        Assert.Equal("started", await s.FieldAsync(id, "status"));
        Assert.NotNull(await s.ScoreAsync(Registry.Started, id));
    }

    [Fact]
    public async Task Finish_ParentOfChainAndFanIn_ReleasesOnlyDependentsWhoseParentsAllFinished()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (a, _) = await s.EnqueueAsync();
        var (b, _) = await s.EnqueueAsync();
        var (chained, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [a] });
        var (fanIn, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [a, b], AtFront = true });
        await s.DequeueAsync("w1", 2);

        await s.CompleteAsync("w1", new JobSucceeded(a, "default", null));

        Assert.Equal([chained], await s.QueuedAsync());
        Assert.Equal("deferred", await s.FieldAsync(fanIn, "status"));
        Assert.Null(await s.ScoreAsync(Registry.Deferred, chained));

        await s.CompleteAsync("w1", new JobSucceeded(b, "default", null));

        Assert.Equal([fanIn, chained], await s.QueuedAsync());
        Assert.Equal("queued", await s.FieldAsync(fanIn, "status"));
        Assert.Null(await s.ScoreAsync(Registry.Deferred, fanIn));
    }

    [Fact]
    public async Task Finish_BothParentsInOneBatch_FanInReleasedAndBatchFiled()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (a, _) = await s.EnqueueAsync();
        var (b, _) = await s.EnqueueAsync();
        var (c, _) = await s.EnqueueAsync();
        var (fanIn, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [a, b] });
        await s.DequeueAsync("w1", 3);

        var result = await s.CompleteAsync("w1", new JobSucceeded(a, "default", null), new JobSucceeded(b, "default", "7"u8.ToArray()),
            new JobSucceeded(c, "default", null));

        Assert.Equal([Recording.Finished, Recording.Finished, Recording.Finished], result.Recorded);
        Assert.Equal([fanIn], await s.QueuedAsync());
        foreach (var id in new[] { a, b, c })
        {
            Assert.Null(await s.ScoreAsync(Registry.Started, id));
            Assert.Equal(s.Now + 500, await s.ScoreAsync(Registry.Finished, id));
            Assert.Equal("finished", await s.FieldAsync(id, "status"));
        }
        Assert.Equal("7", (await s.Jobs.GetAsync(b))!.ResultJson);
        Assert.Null((await s.Jobs.GetAsync(a))!.ResultJson);
        Assert.Null((await s.Jobs.GetAsync(c))!.ResultJson);
    }

    [Fact]
    public async Task Complete_OutcomesOfTwoQueuesAndAFailure_RecordedInTheOrderGiven()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (a, _) = await s.EnqueueAsync(queue: "high");
        var (b, _) = await s.EnqueueAsync(queue: "low");
        var (c, _) = await s.EnqueueAsync(queue: "high");
        var (d, _) = await s.EnqueueAsync(queue: "low");
        await s.DequeueAsync("w1", 4, "high", "low");
        await s.Db.HashSetAsync(s.Keys.Job(d), "worker_name", "w2");

        var result = await s.Workers.CompleteAsync("w1",
            [new JobSucceeded(b, "low", null), new JobFailed(a, "high", "boom", Stopped: false, MayRetry: false),
             new JobSucceeded(c, "high", null), new JobSucceeded(d, "low", null)], ["high", "low"], 0, TimeSpan.FromSeconds(10));

        Assert.Equal([Recording.Finished, Recording.Failed, Recording.Finished, Recording.NotOwned], result.Recorded);
        Assert.Equal("finished", await s.FieldAsync(b, "status"));
        Assert.Equal("failed", await s.FieldAsync(a, "status"));
        Assert.Equal("finished", await s.FieldAsync(c, "status"));
        Assert.Equal("started", await s.FieldAsync(d, "status"));
        Assert.NotNull(await s.ScoreAsync(Registry.Finished, c, "high"));
        Assert.NotNull(await s.ScoreAsync(Registry.Finished, b, "low"));
    }

    [Fact]
    public async Task Dequeue_JobWithOptionalFields_ReturnsThem()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (plain, _) = await s.EnqueueAsync();
        var (rich, _) = await s.EnqueueAsync(options: new EnqueueOptions
        {
            Description = "rich", Timeout = TimeSpan.FromSeconds(30), ResultTtl = TimeSpan.FromSeconds(60), OnSuccess = "tests.ok", OnFailure = "tests.bad", OnStopped = "tests.stop",
            Meta = new Dictionary<string, object?> { ["k"] = 1 },
        });
        var (last, _) = await s.EnqueueAsync();

        var started = await s.DequeueAsync("w1", 3);

        // RQ's default timeout and the description are in every hash but not returned (see Dequeue.lua).
        Assert.Equal(new StartedJob(plain, "default", started[0].Data), started[0]);
        Assert.Equal(new StartedJob(rich, "default", started[1].Data)
        {
            TimeoutSeconds = 30, Meta = "{\"k\":1}", SuccessCallback = "tests.ok", FailureCallback = "tests.bad", StoppedCallback = "tests.stop",
            ResultTtlSeconds = 60,
        }, started[1]);
        // Only jobs with extras carry them in the reply, by row: the ones around it stay plain.
        Assert.Equal(new StartedJob(last, "default", started[2].Data), started[2]);
    }

    [Fact]
    public async Task Fail_NoRetriesLeft_FailedRegistryWithExcInfoKeptAYear()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        var (dependent, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [id] });
        await s.DequeueAsync();

        var result = await s.CompleteAsync("w1", new JobFailed(id, "default", "ValueError: kaboom", Stopped: false, MayRetry: true));

        Assert.Equal(Recording.Failed, Assert.Single(result.Recorded));
        Assert.Equal("failed", await s.FieldAsync(id, "status"));
        Assert.Equal(s.Now + 365 * 86400, await s.ScoreAsync(Registry.Failed, id));
        Assert.InRange((await s.TtlAsync(s.Keys.Job(id)))!.Value.TotalDays, 364.9, 365);
        Assert.Equal("ValueError: kaboom", (await s.Jobs.GetAsync(id))!.ExcInfo);
        Assert.Equal("ValueError: kaboom", JobData.DecodeText((byte[])(await s.Db.HashGetAsync(s.Keys.Job(id), "exc_info"))!));
        if (s.Streams)
        {
            var entry = Assert.Single(await s.Db.StreamRangeAsync(s.Keys.Results(id)));
            Assert.Equal("2", entry["type"]);
            Assert.NotNull(await s.TtlAsync(s.Keys.Results(id)));
        }
        Assert.Equal("deferred", await s.FieldAsync(dependent, "status"));
    }

    [Theory]
    [InlineData(2, "[1, 2]", 1)]
    [InlineData(1, "[1, 2]", 2)]
    [InlineData(3, "[5]", 5)]
    public async Task Fail_RetriesLeftWithIntervals_ScheduledAfterRqsInterval(int left, string intervals, int expectedSeconds)
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.Db.HashSetAsync(s.Keys.Job(id), [new("retries_left", left), new("retry_intervals", intervals)]);
        await s.DequeueAsync();

        var result = await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: true));

        Assert.Equal(Recording.Scheduled, Assert.Single(result.Recorded));
        Assert.Equal(s.Now + expectedSeconds, await s.ScoreAsync(Registry.Scheduled, id));
        Assert.Equal((left - 1).ToString(), await s.FieldAsync(id, "retries_left"));
        Assert.Null(await s.ScoreAsync(Registry.Started, id));
    }

    [Fact]
    public async Task Fail_RetryWithoutInterval_QueuedAgainAtOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { Retry = new Retry(1) });
        await s.DequeueAsync();

        var result = await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: true));

        Assert.Equal(Recording.Requeued, Assert.Single(result.Recorded));
        Assert.Equal([id], await s.QueuedAsync());
        Assert.Equal("0", await s.FieldAsync(id, "retries_left"));
    }

    [Fact]
    public async Task Fail_DependentAllowsFailures_ReleasedOthersStayDeferred()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (parent, _) = await s.EnqueueAsync();
        var (strict, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent] });
        var (lenient, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent], AllowDependencyFailures = true });
        await s.DequeueAsync();

        await s.CompleteAsync("w1", new JobFailed(parent, "default", "boom", Stopped: false, MayRetry: false));

        Assert.Equal([lenient], await s.QueuedAsync());
        Assert.Equal("deferred", await s.FieldAsync(strict, "status"));
    }

    [Fact]
    public async Task Fail_Stopped_EndsStoppedWithoutRetryInFailedRegistry()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { Retry = new Retry(3) });
        await s.DequeueAsync();

        var result = await s.CompleteAsync("w1", new JobFailed(id, "default", "stopped", Stopped: true, MayRetry: true));

        Assert.Equal(Recording.Stopped, Assert.Single(result.Recorded));
        Assert.Equal("stopped", await s.FieldAsync(id, "status"));
        Assert.NotNull(await s.ScoreAsync(Registry.Failed, id));
        Assert.Equal("3", await s.FieldAsync(id, "retries_left"));
    }

    [Fact]
    public async Task Complete_OutcomesAndFetch_RecordsThenStartsInOneCall()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (first, _) = await s.EnqueueAsync();
        var (second, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");

        var result = await s.Workers.CompleteAsync("w1", [new JobSucceeded(first, "default", null)], ["default"], 1, TimeSpan.FromSeconds(10));

        Assert.Equal("finished", await s.FieldAsync(first, "status"));
        Assert.Equal(second, Assert.Single(result.Started).Id);
    }
}
