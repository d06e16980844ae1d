using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

public sealed class JobWaiterTests(TestBroker broker)
{
    /// <summary>Only bounds a broken test; the wake-up itself comes as soon as the server answers.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Want_JobLandsInOneOfTheQueues_WakesTheWorkerAndLeavesTheQueueAsItWas()
    {
        var redis = await broker.ConnectAsync();
        var keys = new RedisKeys(TestBroker.NewPrefix());
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Start returns at once: the blocking connections open in the background.
        await using var waiter = JobWaiter.Start(redis, keys, ["high", "low"], () => woken.TrySetResult());

        waiter.Want(new HashSet<string>());
        await redis.Database.ListRightPushAsync(keys.Queue("low"), ["a", "b"]);

        await woken.Task.WaitAsync(Bound);
        Assert.Equal(["a", "b"], (await redis.Database.ListRangeAsync(keys.Queue("low"))).Select(v => v.ToString()));
    }
}
