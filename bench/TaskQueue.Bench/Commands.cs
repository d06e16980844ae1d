using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TaskQueue.Bench;

/// <summary>The four runner commands, each through TaskQueue's public API only.</summary>
internal static class Commands
{
    private const string Queue = "default";

    /// <summary>Bulk enqueue: one EnqueueManyAsync per chunk; the chunk only bounds the request list's memory.</summary>
    private const int EnqueueChunk = 100_000;

    public static async Task<int> EnqueueAsync(RunnerOptions options)
    {
        using var host = BuildHost(options, worker: false);
        var queue = host.Services.GetRequiredService<TaskQueueClient>().Queue(Queue);
        // Connect before the clock starts, as the other runners do (BullMQ's waitUntilReady).
        await queue.GetCountsAsync();
        var requests = Enumerable.Range(0, options.N).Select(_ => JobRequest.Create(BenchTasks.Noop)).ToList();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < requests.Count; i += EnqueueChunk)
        {
            await queue.EnqueueManyAsync(requests.GetRange(i, Math.Min(EnqueueChunk, requests.Count - i)));
        }
        var seconds = sw.Elapsed.TotalSeconds;
        RunnerArgs.Emit(new { jobs = options.N, seconds, jobs_per_s = options.N / seconds });
        return 0;
    }

    public static async Task<int> WorkerAsync(RunnerOptions options)
    {
        using var host = BuildHost(options, worker: true);
        // With --isolation the worker starts its children from this same command line.
        if (TaskQueueChild.IsChild()) return await TaskQueueChild.RunAsync(host.Services);
        await host.Services.GetRequiredService<TaskQueueClient>().Queue(Queue).GetCountsAsync();
        await host.Services.GetRequiredService<StampSink>().ConnectAsync();
        RunnerArgs.Emit(new { ready = RunnerArgs.NowMs() / 1000.0 });
        // The generic host stops on SIGTERM: the worker stops fetching and drains, as in production.
        await host.RunAsync();
        return 0;
    }

    public static async Task<int> LatencyAsync(RunnerOptions options)
    {
        using var host = BuildHost(options, worker: false);
        var queue = host.Services.GetRequiredService<TaskQueueClient>().Queue(Queue);
        await queue.GetCountsAsync();
        for (var i = 0; i < options.N; i++)
        {
            await queue.EnqueueAsync(BenchTasks.Stamp, kwargs: StampArgs(RunnerArgs.NowMs()));
            await Task.Delay(TimeSpan.FromMilliseconds(options.IntervalMs));
        }
        RunnerArgs.Emit(new { enqueued = options.N });
        return 0;
    }

    public static async Task<int> ScheduleAsync(RunnerOptions options)
    {
        using var host = BuildHost(options, worker: false);
        var queue = host.Services.GetRequiredService<TaskQueueClient>().Queue(Queue);
        await queue.GetCountsAsync();
        for (var i = 0; i < options.N; i++)
        {
            var dueMs = RunnerArgs.NowMs() + options.MinMs + Random.Shared.NextDouble() * (options.MaxMs - options.MinMs);
            await queue.EnqueueAsync(BenchTasks.Stamp, kwargs: StampArgs(dueMs),
                options: new EnqueueOptions { EnqueueAt = DateTimeOffset.UnixEpoch.AddMilliseconds(dueMs) });
        }
        RunnerArgs.Emit(new { scheduled = options.N });
        return 0;
    }

    private static Dictionary<string, object?> StampArgs(double refMs) => new() { ["refMs"] = refMs };

    private static IHost BuildHost(RunnerOptions options, bool worker)
    {
        var builder = Host.CreateApplicationBuilder();
        // Per-job log lines would dominate a no-op job; RQ runs at WARNING here too.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(new StampSink(options.Url));
        builder.Services.AddTransient<BenchTasks>();
        var taskQueue = builder.Services
            .AddTaskQueue(o => o.Url = options.Url)
            .AddTasks(typeof(BenchTasks).Assembly);
        if (worker)
        {
            taskQueue.AddWorker(w =>
            {
                w.Queues = [Queue];
                w.Concurrency = options.Concurrency;
                w.WithScheduler = options.Scheduler;
                if (options.Isolation) w.Isolation = TaskIsolation.Process;
            });
        }
        return builder.Build();
    }
}
