using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary>redis-server at its <c>maxmemory</c> with <c>noeviction</c> during a run: the producer gets a clear error
/// (the CLI and the C# API), nothing already queued is lost, no live job is failed, and the worker goes on once
/// memory is freed.</summary>
public sealed class MaxMemoryTests(FaultMachine machine)
{
    private static readonly int Jobs = FaultScale.Pick(1_000, 5_000);
    private static readonly TimeSpan Full = FaultScale.Pick(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60));

    [Fact(Timeout = 600_000)]
    public async Task MaxMemoryReached_DuringARun_ProducerToldClearlyNothingLostWorkerGoesOn()
    {
        await using var server = await RedisServer.StartAsync("maxmemory", "--maxmemory", "64mb", "--maxmemory-policy", "noeviction");
        await using var queue = new FaultQueue(server, machine);
        var random = new Random(64);
        var ids = await queue.EnqueueRecordJobsAsync(Jobs, _ => Math.Round(0.02 + random.NextDouble() * 0.04, 3));
        var worker = queue.StartWorker("--concurrency", "4", "--heartbeat", "1s");
        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) >= Jobs / 10, "a tenth of the jobs to finish",
            TimeSpan.FromSeconds(60));

        var fillers = await FillAsync(server.Database, queue.Prefix + "filler:");
        var clock = Stopwatch.StartNew();
        var cli = await Taskq.RunAsync(new Dictionary<string, string>(),
            ["enqueue", "faults.record", "--url", server.AdminUrl, "--prefix", queue.Prefix]);
        Exception? api = null;
        try
        {
            await queue.Client.Queue(FaultQueue.Queue).EnqueueAsync("faults.record");
        }
        catch (Exception e)
        {
            api = e;
        }
        var finishedWhileFull = await queue.CountAsync(Registry.Finished);
        var rest = Full - clock.Elapsed;
        if (rest > TimeSpan.Zero) await Task.Delay(rest);
        finishedWhileFull = await queue.CountAsync(Registry.Finished) - finishedWhileFull;
        await server.Database.KeyDeleteAsync(fillers);
        var freed = Stopwatch.StartNew();
        var freedAt = DateTimeOffset.UtcNow;
        await Eventually.HoldsAsync(async () => (await queue.Ledger.RunsSinceAsync(freedAt)).Count > 0,
            "a job to run after memory was freed", TimeSpan.FromSeconds(60));
        var back = freed.Elapsed;

        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) + await queue.CountAsync(Registry.Failed) >= Jobs &&
                                                await queue.CountAsync(Registry.Started) == 0,
            $"all {Jobs} jobs to end", TimeSpan.FromSeconds(180));
        var notFinished = await queue.NotFinishedAsync(ids);
        var failed = await queue.CountAsync(Registry.Failed);
        var runs = await queue.Ledger.RunsAsync();
        var cliError = cli.Stderr.Trim();

        Figures.Report("redis-server at maxmemory (noeviction)",
            $"{Jobs} jobs, 1 worker x 4, full for {Figures.Seconds(Full)}: lost {notFinished.Count - failed}, failed {failed}, " +
            $"run twice {runs.Count(r => r.Value > 1)}, finished while full {finishedWhileFull}, a job ran again {Figures.Seconds(back)} after memory was freed; " +
            $"taskq enqueue said \"{cliError}\" (exit {cli.ExitCode}); the C# API threw {api?.GetType().Name}: {api?.Message}");
        Assert.True(cli.ExitCode == 1, $"taskq enqueue at maxmemory: {cli}");
        Assert.DoesNotContain("did not answer", cliError);
        Assert.Contains("out of memory", cliError);
        Assert.Single(cliError.Split('\n'));
        Assert.NotNull(api);
        Assert.Contains("OOM", api.Message);
        Assert.True(notFinished.Count == 0,
            $"{notFinished.Count} jobs did not end finished (the live worker must not fail its own running jobs because Redis was full): " +
            $"{string.Join("; ", notFinished.Take(10))}");
        Assert.Equal(0, failed);
        // The one worker was alive throughout: a job of its own run again means it gave up its own live jobs as abandoned.
        var twice = runs.Where(r => r.Value > 1).Select(r => r.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} jobs ran twice though their only worker never died: {string.Join(", ", twice.Take(10))}");
        Assert.False(worker.HasExited, $"the worker died:\n{worker.Output}");
    }

    /// <summary>Writes values until the server answers OOM, from 1 MB down to 16 bytes, so what is left is less than one
    /// job's hash (a rejected command's query buffer is freed after it, which puts a big write back under the limit);
    /// returns their keys.</summary>
    private static async Task<RedisKey[]> FillAsync(IDatabase db, string prefix)
    {
        var keys = new List<RedisKey>();
        foreach (var size in new[] { 1 << 20, 64 << 10, 4 << 10, 256, 16 })
        {
            var value = new byte[size];
            for (var i = 0; ; i++)
            {
                if (keys.Count > 4096) throw new InvalidOperationException("the server never answered OOM: is maxmemory set?");
                try
                {
                    var key = $"{prefix}{size}:{i}";
                    await db.StringSetAsync(key, value);
                    keys.Add(key);
                }
                catch (RedisServerException e) when (e.Message.Contains("OOM", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        return [.. keys];
    }
}
