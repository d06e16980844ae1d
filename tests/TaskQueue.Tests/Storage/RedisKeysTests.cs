using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

public sealed class RedisKeysTests(TestBroker broker)
{
    [Fact]
    public void Keys_DefaultPrefix_AreRqs()
    {
        var keys = new RedisKeys();
        Assert.Equal("rq:job:abc", keys.Job("abc"));
        Assert.Equal("rq:job::abc:dependencies", keys.Dependencies("abc"));
        Assert.Equal("rq:wip:default", keys.Registry(Registry.Started, "default"));
        Assert.Equal("rq:pubsub:w1", keys.WorkerCommands("w1"));
        Assert.Equal("rq:scheduler-lock:default", keys.SchedulerLock("default"));
        Assert.Equal("default", keys.QueueName("rq:queue:default"));
        Assert.Null(keys.QueueName("other:queue:default"));
    }

    [Fact]
    public async Task Keys_LuaCommon_AgreesWithRedisKeys()
    {
        var redis = await broker.ConnectAsync();
        var keys = new RedisKeys("p:");
        var script = string.Join("\n", ReadCommon(), """
            return { job_key('j'), dependents_key('j'), dependencies_key('j'), results_key('j'), queue_key('q'), queues_key(),
                     registry_key('wip', 'q'), registry_key('finished', 'q'), worker_key('w'), workers_key(), queue_workers_key('q'),
                     suspended_key(), scheduler_wakeup_channel(), cron_key(), cron_entries_key(), cron_paused_key(), stats_key(1700000000), paused_key('q'), limits_key('q'), rate_key('q') }
            """);

        var lua = ((RedisResult[])(await redis.Database.ScriptEvaluateAsync(script, values: ["p:"]))!).Select(r => r.ToString());

        Assert.Equal([keys.Job("j"), keys.Dependents("j"), keys.Dependencies("j"), keys.Results("j"), keys.Queue("q"), keys.Queues,
            keys.Registry(Registry.Started, "q"), keys.Registry(Registry.Finished, "q"), keys.Worker("w"), keys.Workers, keys.QueueWorkers("q"),
            keys.Suspended, keys.SchedulerWakeup, keys.Cron, keys.CronEntries, keys.CronPaused, keys.Stats(1700000000), keys.Paused("q"), keys.Limits("q"), keys.RateLog("q")], lua);
    }

    private static string ReadCommon()
    {
        using var stream = typeof(RedisKeys).Assembly.GetManifestResourceStream("TaskQueue.Scripts.Common.lua")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
