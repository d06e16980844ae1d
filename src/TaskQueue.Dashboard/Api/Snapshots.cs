using TaskQueue.Monitoring;
using TaskQueue.Workers;

namespace TaskQueue.Dashboard.Api;

/// <summary>A queue's counts, the age of its oldest waiting job and whether it is paused, as the overview and
/// <c>/api/queues</c> show them.</summary>
public sealed record QueueSnapshot(string Name, long Queued, long Started, long Finished, long Failed, long Deferred, long Scheduled,
    long Canceled, double? OldestAgeSeconds, bool Paused);

/// <summary>What the overview shows and polls: queues, the number of live workers, and whether workers are suspended.</summary>
public sealed record OverviewSnapshot(bool Suspended, int Workers, IReadOnlyList<QueueSnapshot> Queues, IReadOnlyList<StatsBucket>? Stats);

/// <summary>Reads the snapshots through the library's read side.</summary>
internal static class Snapshots
{
    public static async Task<IReadOnlyList<QueueSnapshot>> QueuesAsync(QueueMonitor monitor, JobBrowser browser, CancellationToken cancellationToken)
    {
        var counts = await monitor.GetQueuesAsync(cancellationToken);
        var ages = await browser.GetOldestAgesAsync(counts.Select(c => c.Queue).ToArray(), cancellationToken);
        return counts.Select(c => Of(c, ages.TryGetValue(c.Queue, out var age) ? age : null)).ToArray();
    }

    public static async Task<QueueSnapshot> QueueAsync(string name, QueueMonitor monitor, JobBrowser browser, CancellationToken cancellationToken)
    {
        var counts = await monitor.GetQueueAsync(name, cancellationToken);
        var ages = await browser.GetOldestAgesAsync([name], cancellationToken);
        return Of(counts, ages.TryGetValue(name, out var age) ? age : null);
    }

    public static async Task<OverviewSnapshot> OverviewAsync(QueueMonitor monitor, JobBrowser browser, WorkerControl control, StatsHistory? stats,
        DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var queues = QueuesAsync(monitor, browser, cancellationToken);
        var workers = monitor.GetWorkersAsync(cancellationToken);
        var suspended = control.IsSuspendedAsync(cancellationToken);
        var history = stats is null ? Task.FromResult<IReadOnlyList<StatsBucket>?>(null) : ReadStats(stats, since, cancellationToken);
        await Task.WhenAll(queues, workers, suspended, history);
        return new OverviewSnapshot(suspended.Result, workers.Result.Count, queues.Result, history.Result);
    }

    private static async Task<IReadOnlyList<StatsBucket>?> ReadStats(StatsHistory stats, DateTimeOffset? since, CancellationToken cancellationToken) =>
        await stats.GetAsync(since, cancellationToken);

    private static QueueSnapshot Of(QueueCounts c, TimeSpan? age) =>
        new(c.Queue, c.Queued, c.Started, c.Finished, c.Failed, c.Deferred, c.Scheduled, c.Canceled, age is { } a ? Math.Round(a.TotalSeconds, 1) : null, c.Paused);
}
