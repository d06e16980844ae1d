using TaskQueue.Jobs;
using TaskQueue.Queues;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>Queue limits as the fetch inside the Complete script enforces them: jobs held back stay in their queue in
/// order, the reply says when to try again, and other queues are not held up.</summary>
public sealed class LimitScriptTests(TestBroker broker)
{
    private static Task<CompleteReply> FetchAsync(StoreFixture s, int count, string worker = "w1", params string[] queues) =>
        s.Workers.CompleteAsync(worker, [], queues.Length == 0 ? ["default"] : queues, count, TimeSpan.FromSeconds(10));

    private static async Task<string[]> EnqueueAsync(StoreFixture s, int count, string queue = "default")
    {
        var ids = new string[count];
        for (var i = 0; i < count; i++) ids[i] = (await s.EnqueueAsync(queue: queue)).Id;
        return ids;
    }

    [Fact]
    public async Task Concurrency_TwoAtOnce_TakesTwoThenWaitsForOneToEnd()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Jobs.SetLimitsAsync("default", new QueueLimits { Concurrency = 2 });
        var ids = await EnqueueAsync(s, 5);

        var first = await FetchAsync(s, 5);
        var second = await FetchAsync(s, 5, "w2");

        Assert.Equal(ids[..2], first.Started.Select(j => j.Id));
        Assert.Equal([new QueueThrottle("default", null)], first.Throttled);
        Assert.Empty(second.Started);
        Assert.Equal([new QueueThrottle("default", null)], second.Throttled);
        Assert.Equal(ids[2..], await s.QueuedAsync());

        // The call that records an end takes the freed slot.
        var next = await s.Workers.CompleteAsync("w1", [new JobSucceeded(ids[0], "default", null)], ["default"], 5, TimeSpan.FromSeconds(10));
        Assert.Equal([ids[2]], next.Started.Select(j => j.Id));
    }

    [Fact]
    public async Task Rate_ThreePerTenSeconds_SlidingWindowAndRetryHint()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Jobs.SetLimitsAsync("default", new QueueLimits { Rate = new RateLimit(3, TimeSpan.FromSeconds(10)) });
        var ids = await EnqueueAsync(s, 7);

        var first = await FetchAsync(s, 10);
        Assert.Equal(ids[..3], first.Started.Select(j => j.Id));
        Assert.Equal([new QueueThrottle("default", TimeSpan.FromSeconds(10))], first.Throttled);

        s.Time.Advance(TimeSpan.FromSeconds(4));
        var held = await FetchAsync(s, 10);
        Assert.Empty(held.Started);
        Assert.Equal([new QueueThrottle("default", TimeSpan.FromSeconds(6))], held.Throttled);

        s.Time.Advance(TimeSpan.FromSeconds(6.001));
        var second = await FetchAsync(s, 10);
        Assert.Equal(ids[3..6], second.Started.Select(j => j.Id));

        s.Time.Advance(TimeSpan.FromSeconds(10.001));
        var last = await FetchAsync(s, 10);
        Assert.Equal([ids[6]], last.Started.Select(j => j.Id));
        Assert.Empty(last.Throttled);
    }

    [Fact]
    public async Task LimitedQueueAtItsLimit_LowerPriorityQueueStillServed()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Jobs.SetLimitsAsync("limited", new QueueLimits { Concurrency = 1 });
        var limited = await EnqueueAsync(s, 3, "limited");
        var other = await EnqueueAsync(s, 2, "other");

        var reply = await FetchAsync(s, 5, "w1", "limited", "other");

        Assert.Equal([limited[0], .. other], reply.Started.Select(j => j.Id));
        Assert.Equal([new QueueThrottle("limited", null)], reply.Throttled);
    }

    [Fact]
    public async Task LimitNotReached_QueueDrained_NotReportedThrottled()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Jobs.SetLimitsAsync("default", new QueueLimits { Concurrency = 5, Rate = new RateLimit(5, TimeSpan.FromSeconds(1)) });
        await EnqueueAsync(s, 2);

        var reply = await FetchAsync(s, 10);

        Assert.Equal(2, reply.Started.Count);
        Assert.Empty(reply.Throttled);
    }

    [Fact]
    public async Task ConcurrencyReached_QueueEmpty_NotReportedThrottled()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Jobs.SetLimitsAsync("default", new QueueLimits { Concurrency = 1 });
        await EnqueueAsync(s, 1);
        Assert.Single((await FetchAsync(s, 5)).Started);

        var idle = await FetchAsync(s, 5, "w2");

        Assert.Empty(idle.Started);
        Assert.Empty(idle.Throttled);
    }

    [Fact]
    public async Task SetLimits_ReplacedAndRead_NoneRemovesThem()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var limits = new QueueLimits { Rate = new RateLimit(10, TimeSpan.FromMilliseconds(1500)), Concurrency = 3 };

        await s.Jobs.SetLimitsAsync("q", limits);
        Assert.Equal(limits, await s.Jobs.GetLimitsAsync("q"));
        await s.Jobs.SetLimitsAsync("q", new QueueLimits { Concurrency = 1 });
        Assert.Equal(new QueueLimits { Concurrency = 1 }, await s.Jobs.GetLimitsAsync("q"));
        await s.Jobs.SetLimitsAsync("q", QueueLimits.None);
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Limits("q")));
    }

    [Theory]
    [InlineData(0, 1000, null)]
    [InlineData(1, 0, null)]
    [InlineData(1, 86_400_001, null)]
    [InlineData(null, null, 0)]
    [InlineData(null, null, 1_000_001)]
    public async Task SetLimits_OutOfBounds_RefusedWithNothingWritten(int? count, int? perMs, int? concurrency)
    {
        var s = await StoreFixture.CreateAsync(broker);
        var limits = new QueueLimits
        {
            Rate = count is { } c ? new RateLimit(c, TimeSpan.FromMilliseconds(perMs!.Value)) : null,
            Concurrency = concurrency,
        };

        await Assert.ThrowsAsync<ArgumentException>(() => s.Jobs.SetLimitsAsync("q", limits));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Limits("q")));
    }

    [Theory]
    [InlineData("inf", "1000", "nan")]
    [InlineData("-3", "1.5", "0")]
    [InlineData("1e9", "99999999999", "2.5")]
    public async Task LimitFieldsOutOfBounds_Ignored_JobsStart(string rate, string per, string concurrency)
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.HashSetAsync(s.Keys.Limits("default"), [new("rate", rate), new("per", per), new("concurrency", concurrency)]);
        await EnqueueAsync(s, 3);

        var reply = await FetchAsync(s, 3);

        Assert.Equal(3, reply.Started.Count);
        Assert.Empty(reply.Throttled);
        Assert.Equal(QueueLimits.None, await s.Jobs.GetLimitsAsync("default"));
    }

    [Fact]
    public async Task LimitsKeyAndRateLogOfAnotherType_NoLimitAndLogRebuilt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.StringSetAsync(s.Keys.Limits("other"), "junk");
        await s.Jobs.SetLimitsAsync("default", new QueueLimits { Rate = new RateLimit(2, TimeSpan.FromSeconds(1)) });
        await s.Db.StringSetAsync(s.Keys.RateLog("default"), "junk");
        await EnqueueAsync(s, 3);
        await EnqueueAsync(s, 2, "other");

        var reply = await FetchAsync(s, 10, "w1", "default", "other");

        Assert.Equal(4, reply.Started.Count);
        Assert.Equal(2, await s.Db.SortedSetLengthAsync(s.Keys.RateLog("default")));
        Assert.InRange((await s.TtlAsync(s.Keys.RateLog("default")))!.Value.TotalSeconds, 0.5, 2);
    }
}
