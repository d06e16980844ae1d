using System.Diagnostics;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary>Worker processes SIGKILLed over and over during a run, each replaced at once: no job lost, every job
/// finished once, and only jobs in flight at a kill run twice.</summary>
public sealed class SigkillStormTests(FaultMachine machine)
{
    private const int Workers = 3;
    private const int Concurrency = 4;
    private static readonly int Jobs = FaultScale.Pick(2_000, 10_000);
    private static readonly int Kills = FaultScale.Pick(6, 20);

    [Fact(Timeout = 600_000)]
    public async Task SigkillStorm_WorkersKilledAndRestarted_NoJobLostOnlyInFlightJobsRunTwice()
    {
        await using var server = await RedisServer.StartAsync("storm");
        await using var queue = new FaultQueue(server, machine);
        // 10-70 ms each: twelve slots finish a few hundred a second, so the run outlasts the kills.
        var random = new Random(12);
        var ids = await queue.EnqueueRecordJobsAsync(Jobs, _ => Math.Round(0.01 + random.NextDouble() * 0.06, 3));
        var clock = Stopwatch.StartNew();
        var names = new string[Workers];
        var processes = new ChildProcess[Workers];
        for (var slot = 0; slot < Workers; slot++) (names[slot], processes[slot]) = Start(queue, slot, generation: 0);

        var inFlight = new HashSet<string>();
        var requeueDelays = new List<Task<TimeSpan>>();
        for (var kill = 1; kill <= Kills; kill++)
        {
            var slot = kill % Workers;
            var worker = processes[slot];
            // Spread over the run: the kill waits for its share of the jobs to finish and for the worker to hold some.
            var due = (long)Jobs * kill / (Kills + 2);
            await Eventually.HoldsAsync(async () =>
                {
                    if (await queue.CountAsync(Registry.Finished) >= Jobs) throw new InvalidOperationException($"the jobs ran out before kill {kill}");
                    return await queue.CountAsync(Registry.Finished) >= due && (await queue.RunningOnAsync(names[slot])).Count > 0;
                },
                $"{names[slot]} to run jobs after {due} finished", TimeSpan.FromSeconds(120));
            worker.Kill();
            var killedAt = Stopwatch.GetTimestamp();
            await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
            // Read at once: the dead worker's leases outlive it by at least half a heartbeat before a sweep moves them.
            var orphans = await queue.RunningOnAsync(names[slot]);
            inFlight.UnionWith(orphans);
            requeueDelays.Add(RequeueDelayAsync(queue, names[slot], orphans, killedAt));
            (names[slot], processes[slot]) = Start(queue, slot, generation: kill);
        }

        await Eventually.HoldsAsync(async () => await queue.CountAsync(Registry.Finished) == Jobs, $"all {Jobs} jobs to finish",
            TimeSpan.FromSeconds(180));
        var elapsed = clock.Elapsed;
        var delays = await Task.WhenAll(requeueDelays);
        var notFinished = await queue.NotFinishedAsync(ids);
        var runs = await queue.Ledger.RunsAsync();
        var neverRan = ids.Where(id => !runs.ContainsKey(id)).ToList();
        var twice = runs.Where(r => r.Value > 1).Select(r => r.Key).ToList();
        var twiceOutsideKills = twice.Where(id => !inFlight.Contains(id)).ToList();

        Figures.Report("SIGKILL storm",
            $"{Jobs} jobs, {Workers} workers x {Concurrency}, {Kills} SIGKILLs each followed by a restart: lost {notFinished.Count + neverRan.Count}, " +
            $"run twice {twice.Count} (in flight at the kills {inFlight.Count}; run twice outside them {twiceOutsideKills.Count}), " +
            $"re-queued after a kill within {Figures.Seconds(delays.Max())} (mean {Figures.Seconds(TimeSpan.FromTicks((long)delays.Average(d => d.Ticks)))}; " +
            $"heartbeat 1 s), run {Figures.Seconds(elapsed)}");
        Assert.True(notFinished.Count == 0, $"{notFinished.Count} jobs did not end finished: {string.Join("; ", notFinished.Take(20))}");
        Assert.True(neverRan.Count == 0, $"{neverRan.Count} jobs never ran: {string.Join(", ", neverRan.Take(20))}");
        Assert.Equal(0, await queue.CountAsync(Registry.Failed));
        Assert.Equal(0, await queue.CountAsync(Registry.Started));
        Assert.True(twiceOutsideKills.Count == 0,
            $"{twiceOutsideKills.Count} jobs ran twice though no killed worker held them: {string.Join(", ", twiceOutsideKills.Take(20))}");
        Assert.InRange(twice.Count, 0, Kills * Concurrency);
    }

    private static (string Name, ChildProcess Process) Start(FaultQueue queue, int slot, int generation)
    {
        var name = $"storm-{slot}-{generation}-{queue.Prefix[1..7]}";
        return (name, queue.StartWorker("--concurrency", $"{Concurrency}", "--name", name, "--heartbeat", "1s"));
    }

    /// <summary>How long after the kill the last of the dead worker's jobs stopped being its own (re-queued, or taken
    /// and run by a live worker).</summary>
    private static async Task<TimeSpan> RequeueDelayAsync(FaultQueue queue, string dead, IReadOnlyList<string> orphans, long killedAt)
    {
        var left = orphans.ToHashSet();
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (left.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            foreach (var id in left.ToList())
            {
                var fields = await queue.Database.HashGetAsync(queue.Keys.Job(id), ["status", "worker_name"]);
                if (fields[0] != "started" || fields[1] != dead) left.Remove(id);
            }
            if (left.Count > 0) await Task.Delay(20);
        }
        return left.Count == 0 ? Stopwatch.GetElapsedTime(killedAt) : throw new TimeoutException($"{left.Count} jobs of {dead} were not re-queued within 60 s");
    }
}
