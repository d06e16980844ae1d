using System.Diagnostics;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests.Poison;

/// <summary>Malformed jobs (<see cref="PoisonJobs"/>), each as the one poison among 19 valid jobs taken in the same
/// batch by one worker with <c>--concurrency 20</c>, then all of them at once for a <c>--burst</c> worker: the poison
/// ends failed with a reason (or, when it is not a job hash, is skipped and logged); every valid job finishes, once;
/// the worker never dies, never wedges, and its job timeouts keep working.</summary>
/// <remarks>
/// A case that goes wrong is written up (what the valid jobs and the poison became, whether the worker died or
/// wedged) and the worker replaced; later cases of the same variant are not tried again, so a run with bugs stays
/// bounded. The test fails at the end with every variant that went wrong.
/// </remarks>
public sealed class PoisonFuzzTests(FaultMachine machine)
{
    private const int Neighbours = 19;
    private static readonly int Count = FaultScale.Pick(PoisonJobs.VariantCount, 1_000);
    private static readonly TimeSpan BatchDeadline = TimeSpan.FromSeconds(15);

    /// <summary>A job that sleeps 100 s under a 1 s timeout must fail within this.</summary>
    private static readonly TimeSpan TimeoutProbeDeadline = TimeSpan.FromSeconds(6);

    /// <summary>Workers here get a heap limit: a zlib bomb inflated without limit must fail a job, not take the
    /// memory of a machine shared with others.</summary>
    private static readonly Dictionary<string, string> HeapLimit = new() { ["DOTNET_GCHeapHardLimit"] = "0x60000000" };

    [Fact(Timeout = 2_400_000)]
    public async Task PoisonAmong19Valid_OneWorkerConcurrency20_OnlyThePoisonFails()
    {
        var poisons = PoisonJobs.Generate(Count);
        await using var server = await RedisServer.StartAsync("poison-batches");
        var session = await BatchSession.StartAsync(server, machine);
        var failures = new Dictionary<string, string>();
        var notTried = 0;
        var probed = new HashSet<string>();
        var random = new Random(PoisonJobs.Seed);
        var clock = Stopwatch.StartNew();
        try
        {
            foreach (var poison in poisons)
            {
                var variant = $"{poison.Kind}: {poison.Variant}";
                if (failures.ContainsKey(variant))
                {
                    notTried++;
                    continue;
                }
                var problem = await RunBatchAsync(session, poison, random.Next(Neighbours + 1), poison.Case);
                if (problem is null && poison.TouchesTimers && probed.Add(variant)) problem = await ProbeTimeoutsAsync(session, $"probe-{poison.Case}");
                if (problem is null) continue;
                failures[variant] = $"{poison}: {problem}";
                // A wedged or dead worker would fail every case after it: start over on a fresh prefix and worker.
                await session.DisposeAsync();
                session = await BatchSession.StartAsync(server, machine);
            }
            var end = await ProbeTimeoutsAsync(session, "probe-end");
            if (end is not null) failures["timeouts after every case"] = end;
        }
        finally
        {
            await session.DisposeAsync();
        }

        Figures.Report("poison among 19 valid jobs",
            $"{poisons.Count} malformed jobs ({PoisonJobs.VariantCount} variants, seed {PoisonJobs.Seed}), each with {Neighbours} valid jobs in one " +
            $"batch (1 worker, concurrency 20): {failures.Count} variant(s) hurt a neighbour, the worker or themselves went wrong" +
            $"{(notTried > 0 ? $" ({notTried} later cases of those not tried)" : "")}; run {Figures.Seconds(clock.Elapsed)}");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {PoisonJobs.VariantCount} poison variants went wrong:\n" + string.Join("\n", failures.Select(f => $"- {f.Value}")));
    }

    [Fact(Timeout = 900_000)]
    public async Task AllPoisonsAtOnce_OneBurstWorker_ExitsEveryValidJobFinishesTimeoutsStillWork()
    {
        var poisons = PoisonJobs.Generate(Count);
        await using var server = await RedisServer.StartAsync("poison-burst");
        await using var queue = new FaultQueue(server, machine);
        var valid = Enumerable.Range(0, Math.Max(200, poisons.Count / 5)).Select(i => $"ok-{i:00000}").ToList();
        foreach (var poison in poisons) await poison.WriteAsync(queue.Database, queue.Keys);
        foreach (var id in valid) await PoisonJobs.WriteValidAsync(queue.Database, queue.Keys, id);
        // Poisons and valid jobs interleaved in one queue; the timeout probe last.
        var shuffle = new Random(PoisonJobs.Seed);
        var ids = poisons.Select(p => p.Id).Concat(valid).OrderBy(_ => shuffle.Next()).ToList();
        foreach (var chunk in ids.Chunk(500)) await queue.Database.ListRightPushAsync(queue.Keys.Queue(FaultQueue.Queue), [.. chunk.Select(id => (StackExchange.Redis.RedisValue)id)]);
        await queue.Database.SetAddAsync(queue.Keys.Queues, queue.Keys.Queue(FaultQueue.Queue));
        await queue.Client.Queue(FaultQueue.Queue).EnqueueAsync("taskq.sleep", [100], options: new Jobs.EnqueueOptions { JobId = "probe", Timeout = TimeSpan.FromSeconds(1) });

        var clock = Stopwatch.StartNew();
        var worker = queue.StartWorker(HeapLimit, "--burst", "--concurrency", "20", "--with-scheduler", "--heartbeat", "1s");
        var deadline = FaultScale.Pick(TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(300));
        int? exit = null;
        try
        {
            exit = await worker.WaitForExitAsync(deadline);
        }
        catch (TimeoutException)
        {
        }
        var elapsed = clock.Elapsed;

        var problems = new List<string>();
        if (exit is null) problems.Add($"the --burst worker did not exit within {deadline.TotalSeconds:0} s (wedged)");
        else if (exit != 0) problems.Add($"the --burst worker exited {exit} (died)");
        var validStates = await JobState.ReadAsync(queue, valid);
        var lost = validStates.Where(s => !s.FinishedProperly).ToList();
        if (lost.Count > 0) problems.Add($"{lost.Count} of {valid.Count} valid jobs did not finish properly: {string.Join("; ", lost.Take(10))}");
        var runs = await queue.Ledger.RunsAsync();
        var twice = valid.Where(id => runs.GetValueOrDefault(id) > 1).ToList();
        if (twice.Count > 0) problems.Add($"{twice.Count} valid jobs ran more than once: {string.Join(", ", twice.Take(10))}");
        var poisonStates = (await JobState.ReadAsync(queue, poisons.Select(p => p.Id))).Zip(poisons).ToList();
        var wrong = poisonStates.Where(p => !p.First.EndedAs(p.Second.Expect)).ToList();
        if (wrong.Count > 0)
        {
            problems.Add($"{wrong.Count} of {poisons.Count} poisons did not end as they should: " +
                         string.Join("; ", wrong.Take(15).Select(w => $"[{w.Second.Kind}: {w.Second.Variant}, expected {w.Second.Expect}] {w.First}")));
        }
        var probe = (await JobState.ReadAsync(queue, ["probe"]))[0];
        var probeRan = await ProbeDurationAsync(queue, "probe");
        if (!probe.FailedProperly || probeRan is not { } ran || ran > TimeoutProbeDeadline)
        {
            problems.Add($"timeouts no longer work: taskq.sleep(100) under a 1 s timeout ended as {probe}, after {probeRan?.TotalSeconds:0.0} s");
        }

        Figures.Report("all poisons at once",
            $"{poisons.Count} malformed jobs and {valid.Count} valid jobs in one queue, 1 --burst worker (concurrency 20): " +
            $"valid lost {lost.Count}, valid run twice {twice.Count}, poisons ended wrongly {wrong.Count}, worker " +
            $"{(exit is null ? "wedged" : exit == 0 ? "exited 0" : $"died ({exit})")} after {Figures.Seconds(elapsed)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems) + $"\nWorker output (end):\n{worker.Output.Tail()}");
    }

    /// <summary>Runs one poison among <see cref="Neighbours"/> valid jobs; returns what went wrong, or null.</summary>
    private static async Task<string?> RunBatchAsync(BatchSession session, PoisonJob poison, int position, int batch)
    {
        var queue = session.Queue;
        var valid = Enumerable.Range(0, Neighbours).Select(i => $"ok-{batch:0000}-{i:00}").ToList();
        await poison.WriteAsync(queue.Database, queue.Keys);
        // Every hash first, then all twenty ids pushed in one command: the worker, idle on the queue, takes them in one batch.
        foreach (var id in valid) await PoisonJobs.WriteValidAsync(queue.Database, queue.Keys, id);
        var ids = valid.Select(v => (StackExchange.Redis.RedisValue)v).ToList();
        ids.Insert(position, poison.Id);
        var logFrom = session.Worker.Output.Length;
        await queue.Database.ListRightPushAsync(queue.Keys.Queue(FaultQueue.Queue), [.. ids]);

        var all = valid.Append(poison.Id).ToList();
        IReadOnlyList<JobState> states = [];
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < BatchDeadline && !session.Worker.HasExited)
        {
            states = await JobState.ReadAsync(queue, all);
            if (states.Take(Neighbours).All(s => s.FinishedProperly) && states[^1].EndedAs(poison.Expect)) break;
            await Task.Delay(25);
        }
        states = await JobState.ReadAsync(queue, all);

        var problems = new List<string>();
        if (session.Worker.HasExited) problems.Add($"the worker died (exit {session.Worker.ExitCode})");
        var hurt = states.Take(Neighbours).Where(s => !s.FinishedProperly).ToList();
        if (hurt.Count > 0) problems.Add($"{hurt.Count} of {Neighbours} valid jobs did not finish properly within {BatchDeadline.TotalSeconds:0} s ({string.Join("; ", hurt.Take(4))})");
        var runs = await queue.Ledger.RunsAsync();
        var twice = valid.Where(id => runs.GetValueOrDefault(id) > 1).ToList();
        if (twice.Count > 0) problems.Add($"{twice.Count} valid jobs ran more than once");
        var state = states[^1];
        if (!state.EndedAs(poison.Expect)) problems.Add($"the poison did not end as expected ({poison.Expect}): {state}");
        var log = session.Worker.Output[logFrom..];
        if (poison.Expect == Expect.Skip && state.EndedAs(Expect.Skip) && !log.Contains(poison.Id, StringComparison.Ordinal) &&
            !log.Contains("Dropped", StringComparison.Ordinal))
        {
            problems.Add("the poison was skipped without a word in the worker's log");
        }
        if (problems.Count > 0 && !session.Worker.HasExited && hurt.Count > 0) problems.Add("worker wedged or jobs lost: " + WorkerErrors(log));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Enqueues <c>taskq.sleep(100)</c> with a 1 s timeout; returns a problem unless it fails within <see cref="TimeoutProbeDeadline"/>.</summary>
    private static async Task<string?> ProbeTimeoutsAsync(BatchSession session, string id)
    {
        var queue = session.Queue;
        await queue.Client.Queue(FaultQueue.Queue).EnqueueAsync("taskq.sleep", [100], options: new Jobs.EnqueueOptions { JobId = id, Timeout = TimeSpan.FromSeconds(1) });
        try
        {
            await Eventually.HoldsAsync(async () => (await JobState.ReadAsync(queue, [id]))[0].FailedProperly, $"{id} to time out", TimeoutProbeDeadline);
            return null;
        }
        catch (TimeoutException)
        {
            return $"job timeouts stopped working: taskq.sleep(100) under a 1 s timeout is {(await JobState.ReadAsync(queue, [id]))[0]} " +
                   $"after {TimeoutProbeDeadline.TotalSeconds:0} s";
        }
    }

    private static async Task<TimeSpan?> ProbeDurationAsync(FaultQueue queue, string id)
    {
        var times = await queue.Database.HashGetAsync(queue.Keys.Job(id), ["started_at", "ended_at"]);
        return DateTimeOffset.TryParse(times[0], out var started) && DateTimeOffset.TryParse(times[1], out var ended) ? ended - started : null;
    }

    /// <summary>The worker's error lines since the batch began, for the story behind a wedge.</summary>
    private static string WorkerErrors(string log)
    {
        var lines = log.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("error", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.Trim()).Distinct().Take(3).ToList();
        return lines.Count == 0 ? "(no error in its log)" : string.Join(" | ", lines.Select(l => l.Length > 200 ? l[..200] + "..." : l));
    }

    /// <summary>A queue under a fresh prefix and one long-running worker (concurrency 20, with the scheduler for retries).</summary>
    private sealed class BatchSession : IAsyncDisposable
    {
        private BatchSession(FaultQueue queue, ChildProcess worker)
        {
            Queue = queue;
            Worker = worker;
        }

        public FaultQueue Queue { get; }

        public ChildProcess Worker { get; }

        public static async Task<BatchSession> StartAsync(RedisServer server, FaultMachine machine)
        {
            var queue = new FaultQueue(server, machine);
            var worker = queue.StartWorker(HeapLimit, "--concurrency", "20", "--with-scheduler", "--heartbeat", "1s");
            // Ready: it has registered, so the first batch's ids arrive while it waits on the queue.
            await Eventually.HoldsAsync(async () => await queue.Database.SetLengthAsync(queue.Keys.Workers) > 0, "the worker to register",
                TimeSpan.FromSeconds(30));
            return new BatchSession(queue, worker);
        }

        public ValueTask DisposeAsync() => Queue.DisposeAsync();
    }
}
