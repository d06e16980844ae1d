using TaskQueue.Monitoring;
using TaskQueue.Storage;
using TaskQueue.Tests.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Monitoring;

public sealed class StatsHistoryTests(TestBroker broker)
{
    [Fact]
    public async Task Heartbeat_Deltas_CountedInTheBucketOfTheBeat()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        await m.Store.Workers.HeartbeatAsync(new WorkerBeat("w1", "busy", null, 7, 2, 0.5), ["default"], [], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        await m.Store.Workers.HeartbeatAsync(new WorkerBeat("w2", "busy", null, 3, 0, 0.5), ["default"], [], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        m.Store.Time.Advance(StatsHistory.BucketSize);
        await m.Store.Workers.HeartbeatAsync(new WorkerBeat("w1", "idle", null, 0, 0, 0), ["default"], [], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

        var history = await m.Stats.GetAsync();

        Assert.Equal(361, history.Count);
        var (previous, last) = (history[^2], history[^1]);
        Assert.Equal((10L, 2L), (previous.Finished, previous.Failed));
        Assert.Equal((0L, 0L), (last.Finished, last.Failed));
        var ttl = await m.Store.TtlAsync(m.Store.Keys.Stats(StatsHistory.BucketOf(StoreFixture.Start)));
        Assert.InRange(ttl!.Value, StatsHistory.Retention - TimeSpan.FromSeconds(5), StatsHistory.Retention);
    }

    [Fact]
    public async Task Get_Since_OnlyNewerBuckets()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        m.Store.Time.Advance(TimeSpan.FromSeconds(25));

        var history = await m.Stats.GetAsync(m.Store.Time.GetUtcNow() - TimeSpan.FromSeconds(10));

        Assert.Equal(2, history.Count);
        Assert.Equal(StatsHistory.BucketOf(m.Store.Time.GetUtcNow()), history[^1].Start.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task QueueAges_Recorded_ReadBackPerQueue()
    {
        var m = await MonitoringFixture.CreateAsync(broker);

        await m.Stats.RecordQueueAgesAsync(new Dictionary<string, TimeSpan> { ["default"] = TimeSpan.FromSeconds(12.5), ["high"] = TimeSpan.Zero });

        var last = (await m.Stats.GetAsync())[^1];
        Assert.Equal(12.5, last.QueueAges["default"]);
        Assert.Equal(0, last.QueueAges["high"]);
    }
}
