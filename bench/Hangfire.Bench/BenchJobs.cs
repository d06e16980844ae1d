using StackExchange.Redis;

namespace Hangfire.Bench;

/// <summary>The jobs the harness runs: a no-op, and a stamp that records how late it started.</summary>
public static class BenchJobs
{
    /// <summary>Set by the worker command before the server starts; jobs run only there.</summary>
    internal static IDatabase? Stamps;

    public static void Noop() { }

    public static void Stamp(double refMs)
    {
        var started = RunnerArgs.NowMs();
        Stamps!.ListRightPush("bench:stamps", (started - refMs).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }
}
