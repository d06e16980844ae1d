using System.Diagnostics;
using TaskQueue.Connection;
using TaskQueue.Tasks;

namespace TaskQueue.TestTasks;

/// <summary>Tasks for the process tests: ones that misbehave in ways only a real worker process can show.</summary>
public static class ProcessTasks
{
    /// <summary>Kills its own worker process with SIGKILL: the worker dies mid-job, every time (a poison pill).</summary>
    [Task("tests.kill_worker")]
    public static void KillWorker() => Process.GetCurrentProcess().Kill();

    /// <summary>Counts its runs that overlap in Redis, across worker processes: <c>KEY:running</c> while it runs, and the
    /// most seen at once in <c>KEY:max</c>; it runs for <paramref name="seconds"/>. The worker supplies its own broker connection.</summary>
    [Task("tests.overlap_in_redis")]
    public static async Task OverlapInRedisAsync(string key, double seconds, BrokerConnection broker, CancellationToken cancellationToken)
    {
        var redis = await broker.GetAsync(cancellationToken);
        await redis.Database.ScriptEvaluateAsync("""
            local n = redis.call('INCR', KEYS[1])
            if n > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], n) end
            """, [key + ":running", key + ":max"]);
        try { await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken); }
        finally { await redis.Database.StringDecrementAsync(key + ":running"); }
    }

    /// <summary>RQ's <c>tasks.add</c> from <c>shared/reference/rq/tasks.py</c>, so jobs Python RQ wrote run here as they are.</summary>
    [Task("tasks.add")]
    public static int Add(int x, int y) => x + y;
}
