using System.Collections.Concurrent;
using TaskQueue.Tasks;

namespace TaskQueue.Tests.Workers;

/// <summary>Tasks the worker tests enqueue. State is keyed by job id or by a test's own key, so tests running
/// in parallel do not see each other's counts.</summary>
public static class SampleTasks
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();
    public static readonly ConcurrentQueue<(string Key, string Value)> Order = new();
    public static readonly ConcurrentDictionary<string, int> Concurrent = new();
    public static readonly ConcurrentDictionary<string, int> MaxConcurrent = new();

    [Task("tests.add")]
    public static int Add(int x, int y) => x + y;

    [Task("tests.fail")]
    public static void Fail(string message) => throw new InvalidOperationException(message);

    [Task("tests.sleep")]
    public static async Task<string> SleepAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return "slept";
    }

    [Task("tests.nothing")]
    public static void Nothing()
    {
    }

    /// <summary>Fails until it has run <paramref name="failures"/> times for this job, then returns the run count.</summary>
    [Task("tests.flaky")]
    public static int Flaky(int failures, JobContext job)
    {
        var run = Runs.AddOrUpdate(job.JobId, 1, (_, n) => n + 1);
        if (run <= failures) throw new InvalidOperationException($"flaky failure {run}");
        return run;
    }

    /// <summary>Appends <paramref name="value"/> to the order log of <paramref name="key"/>.</summary>
    [Task("tests.record")]
    public static void Record(string key, string value) => Order.Enqueue((key, value));

    /// <summary>Counts how many runs of <paramref name="key"/> overlap.</summary>
    [Task("tests.overlap")]
    public static async Task OverlapAsync(string key, double seconds, CancellationToken cancellationToken)
    {
        var now = Concurrent.AddOrUpdate(key, 1, (_, n) => n + 1);
        MaxConcurrent.AddOrUpdate(key, now, (_, max) => Math.Max(max, now));
        try { await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken); }
        finally { Concurrent.AddOrUpdate(key, 0, (_, n) => n - 1); }
    }

    /// <summary>Counts its runs by job id (cron ticks).</summary>
    [Task("tests.count")]
    public static void Count(JobContext job) => Runs.AddOrUpdate(job.JobId, 1, (_, n) => n + 1);

    [Task("tests.on_success")]
    public static void OnSuccess(JobContext job, int result) => Order.Enqueue((job.JobId, $"success:{result}"));

    [Task("tests.on_failure")]
    public static void OnFailure(JobContext job, string excInfo) => Order.Enqueue((job.JobId, "failure:" + excInfo.Split('\n')[0]));

    /// <summary>Gates for <see cref="Block"/>, by a test's own key.</summary>
    public static readonly ConcurrentDictionary<string, ManualResetEventSlim> Gates = new();

    /// <summary>A synchronous task that holds its thread until its gate opens, ignoring its cancellation token.</summary>
    [Task("tests.block")]
    public static string Block(string key)
    {
        Gates.GetOrAdd(key, _ => new ManualResetEventSlim()).Wait();
        return "released";
    }

    /// <summary>Counts its runs under <paramref name="key"/>, then waits for the gate of <paramref name="key"/> (or its token).</summary>
    [Task("tests.gated")]
    public static async Task<int> GatedAsync(string key, CancellationToken cancellationToken)
    {
        var run = Runs.AddOrUpdate(key, 1, (_, n) => n + 1);
        var gate = Gates.GetOrAdd(key, _ => new ManualResetEventSlim());
        await Task.Run(() => gate.Wait(cancellationToken), cancellationToken);
        return run;
    }

    /// <summary>Takes a DI service besides its argument: the worker supplies <paramref name="thing"/>.</summary>
    [Task("tests.with_service")]
    public static int WithService(int x, ScopedThing thing) => x + thing.Offset;

    /// <summary>Keys whose <see cref="Spin"/> loops must end now.</summary>
    public static readonly ConcurrentDictionary<string, bool> StopSpinning = new();

    /// <summary>Burns a core, ignoring its cancellation token, until <see cref="StopSpinning"/> has its key or
    /// <paramref name="seconds"/> have passed; counts the loops of <paramref name="key"/> running at once.</summary>
    [Task("tests.spin")]
    public static void Spin(string key, double seconds)
    {
        var now = Concurrent.AddOrUpdate(key, 1, (_, n) => n + 1);
        MaxConcurrent.AddOrUpdate(key, now, (_, max) => Math.Max(max, now));
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed.TotalSeconds < seconds && !StopSpinning.ContainsKey(key)) Thread.SpinWait(100);
        }
        finally
        {
            Concurrent.AddOrUpdate(key, 0, (_, n) => n - 1);
        }
    }

    public static IReadOnlyList<string> OrderOf(string key) => Order.Where(e => e.Key == key).Select(e => e.Value).ToArray();
}

/// <summary>A scoped DI service a task takes as a parameter.</summary>
public sealed class ScopedThing
{
    public int Offset => 100;
}
