using TaskQueue.Monitoring;
using TaskQueue.Scheduling;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>What the scheduled page and <c>api/scheduled</c> show: cron entries, and each queue's first scheduled jobs.</summary>
internal static class ScheduledReads
{
    public static async Task<(IReadOnlyList<CronEntryState> Cron, IReadOnlyList<JobPage> Scheduled)> ReadAsync(CronControl cron, QueueMonitor monitor,
        JobBrowser browser, int perQueue, CancellationToken cancellationToken)
    {
        var entries = cron.ListAsync(cancellationToken);
        var queues = await monitor.GetQueuesAsync(cancellationToken);
        var pages = await Task.WhenAll(queues.Where(q => q.Scheduled > 0)
            .Select(q => browser.PageAsync(q.Queue, JobListState.Scheduled, 0, perQueue, cancellationToken)));
        return (await entries, pages);
    }
}
