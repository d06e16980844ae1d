using System.Diagnostics;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary>The worker's connections cut, or black-holed, for 10 s by a proxy between it and redis-server, during a
/// run: no job lost, and the worker takes and finishes jobs again within 2 s of the network's return.</summary>
public sealed class NetworkFaultTests(FaultMachine machine)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    /// <summary>Issue 12's bound for "the worker is back". Not loosened without telling the lead why.</summary>
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(2);

    private static readonly int Jobs = FaultScale.Pick(2_000, 10_000);

    [Theory(Timeout = 600_000)]
    [InlineData("cut")]
    [InlineData("black-hole")]
    public async Task Network_CutOrBlackHoledFor10s_NoJobLostWorkerBackWithin2s(string fault)
    {
        await using var server = await RedisServer.StartAsync($"net-{fault}");
        await using var proxy = new TcpProxy(server.Port);
        await using var queue = new FaultQueue(server, machine, workerUrl: $"redis://127.0.0.1:{proxy.Port}");
        var random = new Random(2);
        // 20-60 ms each on ten slots: a few hundred a second, so jobs are left for after the outage.
        var ids = await queue.EnqueueRecordJobsAsync(Jobs, _ => Math.Round(0.02 + random.NextDouble() * 0.04, 3));
        var worker = queue.StartWorker("--concurrency", "10", "--heartbeat", "1s");
        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) >= Jobs / 10, "a tenth of the jobs to finish",
            TimeSpan.FromSeconds(60));

        if (fault == "cut") proxy.Cut();
        else proxy.BlackHole();
        var finishedAtFault = await queue.CountAsync(Registry.Finished);
        await Task.Delay(Outage);
        var finishedDuringOutage = await queue.CountAsync(Registry.Finished) - finishedAtFault;
        proxy.Restore();
        var restored = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        // Back: a job that started running after the network returned has finished. Jobs the worker finished during
        // the outage and records now (a black-hole delivers them late) do not count.
        TimeSpan? firstStart = null;
        TimeSpan? back = null;
        var bound = BackWithin * 15;
        while (back is null && clock.Elapsed < bound)
        {
            foreach (var (id, started) in await queue.Ledger.RunsSinceAsync(restored))
            {
                firstStart ??= started - restored;
                if (await queue.StatusAsync(id) == "finished")
                {
                    back = clock.Elapsed;
                    break;
                }
            }
            if (back is null) await Task.Delay(10);
        }
        Assert.False(worker.HasExited, $"the worker died during the {fault}:\n{worker.Output}");

        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) >= Jobs && await queue.CountAsync(Registry.Started) == 0,
            $"all {Jobs} jobs to finish", TimeSpan.FromSeconds(180));
        var notFinished = await queue.NotFinishedAsync(ids);
        var runs = await queue.Ledger.RunsAsync();
        var twice = runs.Count(r => r.Value > 1);
        var failed = await queue.CountAsync(Registry.Failed);
        var disowned = worker.Output.Split('\n').Count(l => l.Contains("is no longer this worker's", StringComparison.Ordinal));

        Figures.Report($"network {fault} for {Outage.TotalSeconds:0} s",
            $"{Jobs} jobs, 1 worker x 10: lost {notFinished.Count}, failed {failed}, run twice {twice}, " +
            $"finished during the outage {finishedDuringOutage}, first job started {(firstStart is { } s ? Figures.Seconds(s) : "never")} " +
            $"and first such job finished {(back is { } b ? Figures.Seconds(b) : $"not within {bound.TotalSeconds:0} s")} after the network returned " +
            $"(bound {Figures.Seconds(BackWithin)}); the worker disowned {disowned} of its own jobs");
        Assert.True(notFinished.Count == 0, $"{notFinished.Count} jobs did not end finished: {string.Join("; ", notFinished.Take(20))}");
        Assert.Equal(0, failed);
        Assert.True(back is { } recovered && recovered <= BackWithin,
            $"the worker was not back within {BackWithin.TotalSeconds:0} s of the network's return after a {Outage.TotalSeconds:0} s {fault}: " +
            $"a job started after it finished {(back is { } late ? $"after {late.TotalSeconds:0.00} s" : "not at all")}" +
            $" (the first one started {(firstStart is { } f ? $"after {f.TotalSeconds:0.00} s" : "never")}). Worker output:\n{worker.Output.Tail()}");
        AssertOwnJobsKept(disowned, fault, worker.Output);
    }

    /// <summary>Issue 12: "a reply lost to the network never makes a worker disown its own jobs or strand the jobs it
    /// just started"; each disowned job is one the worker ran, whose outcome it then threw away.</summary>
    private static void AssertOwnJobsKept(int disowned, string fault, string output) =>
        Assert.True(disowned == 0, $"after the {fault} the worker disowned {disowned} job(s) it was running itself " +
                                   $"(\"is no longer this worker's\": their outcome was dropped and they waited for a sweep). Worker output:\n{output.Tail()}");
}
