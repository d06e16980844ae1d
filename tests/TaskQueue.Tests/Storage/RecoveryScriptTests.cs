using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>The scripts that put jobs back: RequeueAbandoned, Release, Heartbeat's lease renewal.</summary>
public sealed class RecoveryScriptTests(TestBroker broker)
{
    [Fact]
    public async Task RequeueAbandoned_LeaseExpired_BackAtFrontCountedOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (abandoned, _) = await s.EnqueueAsync();
        await s.DequeueAsync("dead-worker");
        var (waiting, _) = await s.EnqueueAsync();
        s.Time.Advance(TimeSpan.FromSeconds(11));

        var moved = await s.Workers.RequeueAbandonedAsync(["default"], maxAbandons: 3);

        Assert.Equal([(abandoned, JobStatus.Queued)], moved);
        Assert.Equal([abandoned, waiting], await s.QueuedAsync());
        Assert.Equal("queued", await s.FieldAsync(abandoned, "status"));
        Assert.Equal("1", await s.FieldAsync(abandoned, "abandoned_count"));
        Assert.Equal("", await s.FieldAsync(abandoned, "worker_name"));
        Assert.Null(await s.ScoreAsync(Registry.Started, abandoned));
    }

    [Fact]
    public async Task RequeueAbandoned_LeaseLive_Untouched()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync();
        s.Time.Advance(TimeSpan.FromSeconds(9));

        Assert.Empty(await s.Workers.RequeueAbandonedAsync(["default"], maxAbandons: 3));
        Assert.Equal("started", await s.FieldAsync(id, "status"));
    }

    [Fact]
    public async Task RequeueAbandoned_AbandonedTooOften_FailedAsPoisonPill()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        for (var round = 1; round <= 3; round++)
        {
            await s.DequeueAsync($"dead-{round}");
            s.Time.Advance(TimeSpan.FromSeconds(11));
            var moved = await s.Workers.RequeueAbandonedAsync(["default"], maxAbandons: 2);
            Assert.Equal(round <= 2 ? JobStatus.Queued : JobStatus.Failed, Assert.Single(moved).Status);
        }

        Assert.Equal("failed", await s.FieldAsync(id, "status"));
        Assert.Empty(await s.QueuedAsync());
        Assert.NotNull(await s.ScoreAsync(Registry.Failed, id));
        Assert.StartsWith("AbandonedJobError", (await s.Jobs.GetAsync(id))!.ExcInfo);
    }

    [Fact]
    public async Task Heartbeat_OwnJobs_LeasePushedForwardLostOnesReported()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (mine, _) = await s.EnqueueAsync();
        var (taken, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1", 2);
        await s.Db.HashSetAsync(s.Keys.Job(taken), "worker_name", "w2");
        s.Time.Advance(TimeSpan.FromSeconds(5));

        var lost = await s.Workers.HeartbeatAsync(new WorkerBeat("w1", "busy", mine, 3, 1, 0.5), ["default"],
            [("default", mine), ("default", taken)], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));

        Assert.Equal([taken], lost);
        Assert.Equal(s.Now + 10, await s.ScoreAsync(Registry.Started, mine));
        var worker = (await s.Db.HashGetAllAsync(s.Keys.Worker("w1"))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("busy", worker["state"]);
        Assert.Equal(mine, worker["current_job"]);
        Assert.Equal("3", worker["successful_job_count"]);
        Assert.Equal("1", worker["failed_job_count"]);
        Assert.True(await s.Db.SetContainsAsync(s.Keys.Workers, s.Keys.Worker("w1")));
    }

    [Fact]
    public async Task Release_OwnUnfinishedJobs_BackAtFrontNotCountedAsAbandoned()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        var (other, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");

        var released = await s.Workers.ReleaseAsync("w1", [("default", id)]);

        Assert.Equal(1, released);
        Assert.Equal([id, other], await s.QueuedAsync());
        Assert.Equal("queued", await s.FieldAsync(id, "status"));
        Assert.Null(await s.FieldAsync(id, "abandoned_count"));
        Assert.Null(await s.ScoreAsync(Registry.Started, id));
        Assert.Equal(0, await s.Workers.ReleaseAsync("w2", [("default", other)]));
    }

    [Fact]
    public async Task RegisterAndUnregister_Worker_AppearsAndLeavesRqWorkerSets()
    {
        var s = await StoreFixture.CreateAsync(broker);

        await s.Workers.RegisterAsync("w1", ["high", "low"], [new("queues", "high,low"), new("state", "idle")], TimeSpan.FromSeconds(60));

        Assert.True(await s.Db.SetContainsAsync(s.Keys.Workers, s.Keys.Worker("w1")));
        Assert.True(await s.Db.SetContainsAsync(s.Keys.QueueWorkers("low"), s.Keys.Worker("w1")));
        Assert.Equal("high,low", await s.Db.HashGetAsync(s.Keys.Worker("w1"), "queues"));

        await s.Workers.UnregisterAsync("w1", ["high", "low"]);

        Assert.False(await s.Db.SetContainsAsync(s.Keys.Workers, s.Keys.Worker("w1")));
        Assert.False(await s.Db.SetContainsAsync(s.Keys.QueueWorkers("high"), s.Keys.Worker("w1")));
        Assert.InRange((await s.TtlAsync(s.Keys.Worker("w1")))!.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task CleanRegistries_ExpiredEntries_Removed()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.SortedSetAddAsync(s.Keys.Registry(Registry.Finished, "default"), "old", s.Now - 1);
        await s.Db.SortedSetAddAsync(s.Keys.Registry(Registry.Failed, "default"), "old", s.Now - 1);
        await s.Db.SortedSetAddAsync(s.Keys.Registry(Registry.Finished, "default"), "new", s.Now + 100);

        Assert.Equal(2, await s.Workers.CleanRegistriesAsync(["default"]));
        Assert.Equal(1, await s.Db.SortedSetLengthAsync(s.Keys.Registry(Registry.Finished, "default")));
    }
}
