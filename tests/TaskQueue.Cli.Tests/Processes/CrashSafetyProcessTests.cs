using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>The core promise: workers killed with SIGKILL at any moment lose no job.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class CrashSafetyProcessTests(TestBroker broker)
{
    private const int Jobs = 200;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 180_000)]
    public async Task KilledWorkers_ThreeRoundsOfSigkill_EveryJobFinishesNoneLostAbandonedOnesRerun()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var random = new Random(580);
        var requests = Enumerable.Range(0, Jobs).Select(i => JobRequest.Create("taskq.sleep", [Math.Round(0.05 + random.NextDouble() * 0.15, 3)],
            options: new EnqueueOptions { JobId = $"job-{i:000}" }));
        await test.Queue.Client.Queue().EnqueueManyAsync(requests, Ct);
        var rerun = new HashSet<string>();

        var a = StartWorker(test, "a");
        var b = StartWorker(test, "b");
        // Round 1: kill one worker early; a fresh one replaces it.
        await KillWhenAsync(test, a, "a", finished: 20, rerun);
        var c = StartWorker(test, "c");
        // Round 2: kill the other original worker halfway.
        await KillWhenAsync(test, b, "b", finished: 80, rerun);
        var d = StartWorker(test, "d");
        // Round 3: kill every live worker, one after the other; only a new worker can rescue their jobs.
        await KillWhenAsync(test, c, "c", finished: 140, rerun);
        await KillWhenAsync(test, d, "d", finished: 0, rerun);
        var e = StartWorker(test, "e");

        await Eventually.HoldsAsync(async () => await CountAsync(test, Registry.Finished) == Jobs, $"all {Jobs} jobs to finish",
            TimeSpan.FromSeconds(90));
        e.Signal(ChildProcess.SigTerm);
        Assert.Equal(0, await e.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(0, await test.Queue.Database.ListLengthAsync(test.Queue.Keys.Queue("default")));
        Assert.Equal(0, await CountAsync(test, Registry.Started));
        Assert.Equal(0, await CountAsync(test, Registry.Failed));
        for (var i = 0; i < Jobs; i++)
        {
            var job = await test.JobAsync($"job-{i:000}");
            Assert.True(job.Status == JobStatus.Finished, $"{job.Id} is {job.Status}");
        }
        Assert.NotEmpty(rerun);
        foreach (var id in rerun)
        {
            var job = await test.JobAsync(id);
            Assert.True(job.AbandonedCount >= 1, $"{id} was running on a killed worker but has abandoned_count {job.AbandonedCount}");
        }
    }

    private static ChildProcess StartWorker(ProcessTest test, string name) =>
        test.StartWorker("--concurrency", "4", "--name", WorkerName(test, name), "--heartbeat", ProcessTest.FastHeartbeat);

    private static string WorkerName(ProcessTest test, string name) => $"crash-{name}-{test.Queue.Prefix[..6]}";

    /// <summary>Once <paramref name="finished"/> jobs have finished and the worker is running some, SIGKILLs it
    /// and adds the jobs it was running (still marked as its own in Redis) to <paramref name="rerun"/>.</summary>
    private static async Task KillWhenAsync(ProcessTest test, ChildProcess worker, string name, int finished, HashSet<string> rerun)
    {
        var owner = WorkerName(test, name);
        await Eventually.HoldsAsync(async () => await CountAsync(test, Registry.Finished) >= finished && (await RunningOnAsync(test, owner)).Count > 0,
            $"worker {name} to run jobs after {finished} finished", TimeSpan.FromSeconds(60));
        worker.Kill();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(10));
        // Read at once: the killed worker's lease outlives it by at least a quarter second before a sweep moves them.
        var orphans = await RunningOnAsync(test, owner);
        rerun.UnionWith(orphans);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"killed {name} with {await CountAsync(test, Registry.Finished)} finished; it left {orphans.Count} started job(s): {string.Join(", ", orphans)}");
    }

    private static async Task<IReadOnlyList<string>> RunningOnAsync(ProcessTest test, string worker)
    {
        var started = await test.Queue.Database.SortedSetRangeByRankAsync(test.Queue.Keys.Registry(Registry.Started, "default"));
        var owned = new List<string>();
        foreach (var id in started)
        {
            var fields = await test.Queue.Database.HashGetAsync(test.Queue.Keys.Job(id!), ["status", "worker_name"]);
            if (fields[0] == "started" && fields[1] == worker) owned.Add(id!);
        }
        return owned;
    }

    private static Task<long> CountAsync(ProcessTest test, Registry registry) =>
        test.Queue.Database.SortedSetLengthAsync(test.Queue.Keys.Registry(registry, "default"));
}
