using Hangfire.Redis.StackExchange;

namespace Hangfire.Bench;

/// <summary>The Hangfire configuration every command shares; the options are the ones bench/README.md lists.</summary>
internal static class HangfireSetup
{
    public const string Prefix = "{hangfire}:";

    /// <summary>Parallel producers for bulk enqueue: Hangfire has no batch API outside Hangfire Pro.</summary>
    /// <remarks>Measured here with 5,000 jobs: 1 producer ~1.8k/s, 8-64 producers ~3.0-3.3k/s.</remarks>
    public const int EnqueueParallelism = 16;

    /// <summary>The schedule poller's delay when the worker runs the scheduler: the lowest the server accepts.</summary>
    /// <remarks>
    /// Hangfire 1.8 accepts <see cref="TimeSpan.Zero"/>: the poller then loops without sleeping (~20k Redis
    /// commands/s while idle here). Lateness is bounded below by the storage anyway: it scores the schedule set
    /// in whole seconds, so a job can start up to 1 s before its due time.
    /// </remarks>
    public static readonly TimeSpan LowestSchedulePollingInterval =
        TimeSpan.FromMilliseconds(double.Parse(Environment.GetEnvironmentVariable("HANGFIRE_BENCH_SCHEDULE_POLL_MS") ?? "0", System.Globalization.CultureInfo.InvariantCulture));

    public static void Configure(RedisStorage storage) =>
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(storage);

    /// <summary>Server options; without the scheduler the poller keeps Hangfire's default (15 s) and stays quiet.</summary>
    public static BackgroundJobServerOptions ServerOptions(int workerCount, bool scheduler)
    {
        var options = new BackgroundJobServerOptions { WorkerCount = workerCount, Queues = ["default"] };
        if (scheduler) options.SchedulePollingInterval = LowestSchedulePollingInterval;
        return options;
    }
}
