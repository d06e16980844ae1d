using System.Diagnostics;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary>redis-server SIGKILLed during a run and restarted on its AOF: with <c>appendfsync always</c> nothing is
/// lost; with <c>everysec</c> the last second of the AOF is cut off before the restart, as a power loss would leave
/// it (a SIGKILL alone loses nothing the kernel already has), so the reload rolls back that second's work: no job is
/// lost, and the jobs re-run because of it are counted.</summary>
public sealed class RedisKillTests(FaultMachine machine)
{
    private static readonly int Jobs = FaultScale.Pick(1_000, 10_000);
    private static readonly int Kills = FaultScale.Pick(1, 3);

    /// <summary>What a power loss takes with <c>everysec</c>: up to the last second of writes.</summary>
    private static readonly TimeSpan Unsynced = TimeSpan.FromSeconds(1);

    [Theory(Timeout = 600_000)]
    [InlineData("always")]
    [InlineData("everysec")]
    public async Task RedisKilled_RestartedOnItsAof_NoJobLost(string fsync)
    {
        var rollback = fsync == "everysec";
        await using var server = await RedisServer.StartAsync($"aof-{fsync}",
            "--appendonly", "yes", "--appendfsync", fsync, "--auto-aof-rewrite-percentage", "0");
        await using var queue = new FaultQueue(server, machine);
        var random = new Random(1917);
        var ids = await queue.EnqueueRecordJobsAsync(Jobs, _ => Math.Round(0.01 + random.NextDouble() * 0.04, 3));
        // Past the last second of the enqueue: a rollback below never reaches back to it.
        await Task.Delay(Unsynced * 1.5);
        using var sampler = new AofSampler(server.Folder);
        for (var w = 0; w < 2; w++) queue.StartWorker("--concurrency", "4", "--heartbeat", "1s");

        var recoveries = new List<TimeSpan>();
        long bytesCut = 0;
        for (var kill = 1; kill <= Kills; kill++)
        {
            var due = (long)Jobs * kill / (Kills + 1);
            await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) >= due, $"{due} jobs to finish", TimeSpan.FromSeconds(120));
            await server.KillAsync();
            if (rollback) bytesCut += sampler.CutLast(Unsynced);
            await server.RestartAsync();
            var restarted = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            // Back: a job taken after the restart has finished.
            await Eventually.HoldsAsync(async () =>
            {
                foreach (var (id, _) in await queue.Ledger.RunsSinceAsync(restarted))
                {
                    if (await queue.StatusAsync(id) == "finished") return true;
                }
                return false;
            }, "a job started after the restart to finish", TimeSpan.FromSeconds(60));
            recoveries.Add(clock.Elapsed);
        }

        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) >= Jobs && await queue.CountAsync(Registry.Started) == 0,
            $"all {Jobs} jobs to finish", TimeSpan.FromSeconds(180));
        var notFinished = await queue.NotFinishedAsync(ids);
        var runs = await queue.Ledger.RunsAsync();
        var twice = runs.Count(r => r.Value > 1);
        var failed = await queue.CountAsync(Registry.Failed);

        Figures.Report($"redis-server SIGKILL, appendfsync {fsync}",
            $"{Jobs} jobs, 2 workers x 4, {Kills} kill(s) and restart(s) on the AOF" +
            (rollback ? $" with its last {Unsynced.TotalSeconds:0} s cut off ({bytesCut:N0} bytes)" : "") +
            $": lost {notFinished.Count}, failed {failed}, run twice {twice} (re-runs {runs.Values.Sum() - runs.Count}), " +
            $"first job taken after the restart finished within {Figures.Seconds(recoveries.Max())}");
        Assert.True(notFinished.Count == 0, $"{notFinished.Count} jobs did not end finished: {string.Join("; ", notFinished.Take(20))}");
        Assert.Equal(0, failed);
        var neverRan = ids.Where(id => !runs.ContainsKey(id)).ToList();
        Assert.True(neverRan.Count == 0, $"{neverRan.Count} jobs never ran: {string.Join(", ", neverRan.Take(20))}");
    }

    /// <summary>Watches the size of the AOF being appended to (Redis 7's <c>appendonlydir/*.incr.aof</c>), so the
    /// test can cut it back to what it was a given time ago.</summary>
    private sealed class AofSampler : IDisposable
    {
        private readonly string folder;
        private readonly List<(long At, string File, long Size)> samples = [];
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        public AofSampler(string serverFolder)
        {
            folder = Path.Combine(serverFolder, "appendonlydir");
            running = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    if (Current() is { } file)
                    {
                        lock (samples) samples.Add((Stopwatch.GetTimestamp(), file, new FileInfo(file).Length));
                    }
                    await Task.Delay(20);
                }
            });
        }

        /// <summary>Truncates the AOF to its size <paramref name="ago"/> before now; returns the bytes cut.</summary>
        public long CutLast(TimeSpan ago)
        {
            var before = Stopwatch.GetTimestamp() - (long)(ago.TotalSeconds * Stopwatch.Frequency);
            var file = Current() ?? throw new InvalidOperationException($"no AOF in {folder}");
            (long At, string File, long Size) mark;
            lock (samples) mark = samples.LastOrDefault(s => s.At <= before && s.File == file);
            if (mark.File is null) return 0;
            var size = new FileInfo(file).Length;
            // redis-server loads an AOF whose last command is cut short (aof-load-truncated yes, the default).
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write)) stream.SetLength(mark.Size);
            return size - mark.Size;
        }

        private string? Current() =>
            Directory.Exists(folder) ? Directory.GetFiles(folder, "*.incr.aof").OrderBy(f => new FileInfo(f).LastWriteTimeUtc).LastOrDefault() : null;

        public void Dispose()
        {
            stop.Cancel();
            running.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
