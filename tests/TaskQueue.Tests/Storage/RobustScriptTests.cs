using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>The worker's scripts against what a job hash may turn into while its job runs, and against a Complete call
/// sent twice because its reply was lost: they never raise half-way (Redis keeps a failed script's earlier writes),
/// and a worker recognises its own earlier writes.</summary>
public sealed class RobustScriptTests(TestBroker broker)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Fail_RetryIntervalsTurnedToGarbageMidRun_FailedWithoutRetry()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { Retry = new Retry(2, TimeSpan.FromSeconds(5)) });
        var (other, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1", 2);
        await s.Db.HashSetAsync(s.Keys.Job(id), "retry_intervals", "garbage");

        var result = await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: true),
            new JobSucceeded(other, "default", null));

        Assert.Equal([Recording.Failed, Recording.Finished], result.Recorded);
        Assert.NotNull(await s.ScoreAsync(Registry.Failed, id));
        Assert.Null(await s.ScoreAsync(Registry.Started, id));
        Assert.Equal("finished", await s.FieldAsync(other, "status"));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("inf")]
    [InlineData("99999999999999")]
    public async Task Finish_ResultTtlTurnedInvalidMidRun_KeptForTheDefault(string ttl)
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");
        await s.Db.HashSetAsync(s.Keys.Job(id), "result_ttl", ttl);

        var result = await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));

        Assert.Equal(Recording.Finished, Assert.Single(result.Recorded));
        Assert.Equal(s.Now + 500, await s.ScoreAsync(Registry.Finished, id));
        Assert.InRange((await s.TtlAsync(s.Keys.Job(id)))!.Value.TotalSeconds, 495, 500);
    }

    [Fact]
    public async Task Fail_FailureTtlTurnedInvalidMidRun_KeptForTheDefault()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");
        await s.Db.HashSetAsync(s.Keys.Job(id), "failure_ttl", "1.5");

        await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: false));

        Assert.NotNull(await s.ScoreAsync(Registry.Failed, id));
        Assert.InRange((await s.TtlAsync(s.Keys.Job(id)))!.Value.TotalDays, 364, 365);
    }

    [Fact]
    public async Task Finish_DependentsKeyOfAnotherType_StillFinishesTheBatch()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (a, _) = await s.EnqueueAsync();
        var (b, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1", 2);
        await s.Db.StringSetAsync(s.Keys.Dependents(a), "not a set");

        var result = await s.CompleteAsync("w1", new JobSucceeded(a, "default", null), new JobSucceeded(b, "default", null));

        Assert.Equal([Recording.Finished, Recording.Finished], result.Recorded);
        Assert.NotNull(await s.ScoreAsync(Registry.Finished, a));
        Assert.NotNull(await s.ScoreAsync(Registry.Finished, b));
    }

    [Fact]
    public async Task Dequeue_QueueKeyOfAnotherType_SkippedAndTheNextQueueServed()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.StringSetAsync(s.Keys.Queue("broken"), "x");
        var (id, _) = await s.EnqueueAsync(queue: "low");

        var result = await s.Workers.CompleteAsync("w1", [], ["broken", "low"], 5, Lease);

        Assert.Equal(new SkippedJob("", SkipReason.QueueWrongType, "broken"), Assert.Single(result.Skipped));
        Assert.Equal(id, Assert.Single(result.Started).Id);
    }

    [Fact]
    public async Task Complete_SentAgainAfterItsReplyWasLost_SaysEndedEarlier()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (ok, _) = await s.EnqueueAsync();
        var (bad, _) = await s.EnqueueAsync();
        var (retried, _) = await s.EnqueueAsync(options: new EnqueueOptions { Retry = new Retry(1) });
        await s.DequeueAsync("w1", 3);
        JobOutcome[] outcomes =
        [
            new JobSucceeded(ok, "default", "1"u8.ToArray()), new JobFailed(bad, "default", "boom", Stopped: false, MayRetry: false),
            new JobFailed(retried, "default", "boom", Stopped: false, MayRetry: true),
        ];
        await s.CompleteAsync("w1", outcomes);

        var again = await s.CompleteAsync("w1", outcomes);

        Assert.Equal([Recording.EndedEarlier, Recording.EndedEarlier, Recording.EndedEarlier], again.Recorded);
        Assert.Equal("finished", await s.FieldAsync(ok, "status"));
        Assert.Equal("failed", await s.FieldAsync(bad, "status"));
        Assert.Equal("queued", await s.FieldAsync(retried, "status"));
        Assert.Equal([retried], await s.QueuedAsync());
    }

    [Fact]
    public async Task Complete_JobAnotherWorkerTookAndEnded_NotOwned()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");
        await s.Db.HashSetAsync(s.Keys.Job(id), [new("worker_name", "w2"), new("status", "finished")]);

        var result = await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));

        Assert.Equal(Recording.NotOwned, Assert.Single(result.Recorded));
    }

    [Fact]
    public async Task Reclaim_JobsALostCallStarted_BackAtTheFrontWithoutAnAbandon()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (held, _) = await s.EnqueueAsync();
        var (lost1, _) = await s.EnqueueAsync();
        var (lost2, _) = await s.EnqueueAsync();
        var (waiting, _) = await s.EnqueueAsync();
        var (others, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1", 3);
        await s.DequeueAsync("w2", 1);

        var reclaimed = await s.Workers.ReclaimAsync("w1", ["default"], [held]);

        Assert.Equal(2, reclaimed);
        Assert.Equal([lost1, lost2, others], await s.QueuedAsync());
        Assert.Equal("queued", await s.FieldAsync(lost1, "status"));
        Assert.Equal("", await s.FieldAsync(lost1, "worker_name"));
        Assert.Null(await s.FieldAsync(lost1, "abandoned_count"));
        Assert.Equal("started", await s.FieldAsync(held, "status"));
        Assert.Equal("started", await s.FieldAsync(waiting, "status"));
        Assert.Equal("w2", await s.FieldAsync(waiting, "worker_name"));
    }
}
