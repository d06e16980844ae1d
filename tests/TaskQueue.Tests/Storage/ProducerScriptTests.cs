using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>Cancel, Requeue, Empty, EnqueueCron, PromoteDue and the scheduler locks.</summary>
public sealed class ProducerScriptTests(TestBroker broker)
{
    [Fact]
    public async Task Cancel_QueuedDeferredScheduled_CanceledAndOutOfTheirLists()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (queued, _) = await s.EnqueueAsync();
        var (deferred, _) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [queued] });
        var (scheduled, _) = await s.EnqueueAsync(options: new EnqueueOptions { EnqueueIn = TimeSpan.FromMinutes(1) });

        foreach (var id in new[] { queued, deferred, scheduled })
        {
            Assert.Equal(new CancelOutcome(true, JobStatus.Canceled), await s.Jobs.CancelAsync(id));
            Assert.Equal("canceled", await s.FieldAsync(id, "status"));
            Assert.Equal(s.Now, await s.ScoreAsync(Registry.Canceled, id));
        }
        Assert.Empty(await s.QueuedAsync());
        Assert.Null(await s.ScoreAsync(Registry.Deferred, deferred));
        Assert.Null(await s.ScoreAsync(Registry.Scheduled, scheduled));
    }

    [Fact]
    public async Task Cancel_StartedOrMissing_Refused()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync();

        Assert.Equal(new CancelOutcome(false, JobStatus.Started), await s.Jobs.CancelAsync(id));
        Assert.Equal(new CancelOutcome(false, null), await s.Jobs.CancelAsync("missing"));
    }

    [Fact]
    public async Task Requeue_FailedJob_QueuedCleanAndPersistent()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        var (running, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1", 2);
        await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: false));

        var outcomes = await s.Jobs.RequeueAsync([id, running, "missing"]);

        Assert.Equal([new RequeueOutcome(id, true, JobStatus.Queued), new RequeueOutcome(running, false, JobStatus.Started), new RequeueOutcome("missing", false, null)], outcomes);
        Assert.Equal([id], await s.QueuedAsync());
        Assert.Null(await s.ScoreAsync(Registry.Failed, id));
        Assert.Equal("", await s.FieldAsync(id, "exc_info"));
        Assert.Null(await s.TtlAsync(s.Keys.Job(id)));
    }

    [Fact]
    public async Task Empty_Queue_DeletesWaitingJobsOnly()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (a, _) = await s.EnqueueAsync();
        var (b, _) = await s.EnqueueAsync();
        await s.DequeueAsync();

        Assert.Equal(1, await s.Jobs.EmptyAsync("default"));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Job(b)));
        Assert.True(await s.Db.KeyExistsAsync(s.Keys.Job(a)));
    }

    [Fact]
    public async Task PromoteDue_DueAndNotDue_MovesOnlyDueAndReportsNextDue()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (soon, _) = await s.EnqueueAsync(options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(5) });
        var (later, _) = await s.EnqueueAsync(options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(30) });
        s.Time.Advance(TimeSpan.FromSeconds(6));

        var (promoted, next) = await s.Scheduler.PromoteDueAsync(["default"]);

        Assert.Equal(1, promoted);
        Assert.Equal([soon], await s.QueuedAsync());
        Assert.Equal("queued", await s.FieldAsync(soon, "status"));
        Assert.Equal(StoreFixture.Start.AddSeconds(30), next);
        Assert.NotNull(await s.ScoreAsync(Registry.Scheduled, later));
    }

    [Fact]
    public async Task EnqueueCron_SameTickTwice_EnqueuedOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var tick = StoreFixture.Start;
        NewJob Job() => NewJob.Build(JobRequest.Create("tests.nothing"), "default", s.Time.GetUtcNow(), s.Options);

        Assert.Equal(CronTickOutcome.Enqueued, await s.Jobs.EnqueueCronAsync("report", tick, Job()));
        Assert.Equal(CronTickOutcome.AlreadyEnqueued, await s.Jobs.EnqueueCronAsync("report", tick, Job()));
        Assert.Equal(CronTickOutcome.AlreadyEnqueued, await s.Jobs.EnqueueCronAsync("report", tick.AddMinutes(-1), Job()));
        Assert.Equal(CronTickOutcome.Enqueued, await s.Jobs.EnqueueCronAsync("report", tick.AddMinutes(1), Job()));

        Assert.Equal(2, (await s.QueuedAsync()).Length);
    }

    [Fact]
    public async Task EnqueueCron_PausedEntry_TickSkippedNotKeptForLater()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var tick = StoreFixture.Start;
        NewJob Job() => NewJob.Build(JobRequest.Create("tests.nothing"), "default", s.Time.GetUtcNow(), s.Options);
        await s.Db.SetAddAsync(s.Keys.CronPaused, "report");

        Assert.Equal(CronTickOutcome.Paused, await s.Jobs.EnqueueCronAsync("report", tick, Job()));
        Assert.Equal(CronTickOutcome.Enqueued, await s.Jobs.EnqueueCronAsync("other", tick, Job()));
        Assert.Single(await s.QueuedAsync());
        Assert.False(await s.Db.HashExistsAsync(s.Keys.Cron, "report"));

        await s.Db.SetRemoveAsync(s.Keys.CronPaused, "report");
        Assert.Equal(CronTickOutcome.Enqueued, await s.Jobs.EnqueueCronAsync("report", tick.AddMinutes(1), Job()));
        Assert.Equal(2, (await s.QueuedAsync()).Length);
    }

    [Fact]
    public async Task SchedulerLocks_TwoOwners_OnePerQueueRenewedAndReleased()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var ttl = TimeSpan.FromSeconds(61);

        Assert.Equal(["a", "b"], await s.Scheduler.AcquireLocksAsync("one", ttl, ["a", "b"]));
        Assert.Equal(["c"], await s.Scheduler.AcquireLocksAsync("two", ttl, ["a", "b", "c"]));
        Assert.Equal(["a", "b"], await s.Scheduler.AcquireLocksAsync("one", ttl, ["a", "b"]));
        Assert.Equal("one", await s.Db.StringGetAsync(s.Keys.SchedulerLock("a")));

        await s.Scheduler.ReleaseLocksAsync("two", ["a"]);
        Assert.Equal("one", await s.Db.StringGetAsync(s.Keys.SchedulerLock("a")));
        await s.Scheduler.ReleaseLocksAsync("one", ["a", "b"]);
        Assert.Equal(["a", "b", "c"], await s.Scheduler.AcquireLocksAsync("two", ttl, ["a", "b", "c"]));
    }
}
