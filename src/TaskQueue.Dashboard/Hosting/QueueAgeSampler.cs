using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>Records the age of every queue's oldest waiting job once per stats bucket, for the overview's chart.</summary>
/// <remarks>Workers count throughput themselves (the Heartbeat script); queue age is a property of the queue, not of a
/// worker, so the process that shows it samples it. Several dashboards write the same bucket, last one wins. Costs
/// one SMEMBERS, 7 counts, one LINDEX and one HGET per queue, one HSET and one EXPIRE per 10 s.</remarks>
internal sealed partial class QueueAgeSampler(QueueMonitor monitor, JobBrowser browser, StatsHistory stats, TimeProvider time,
    ILogger<QueueAgeSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StatsHistory.BucketSize, time);
        try
        {
            do
            {
                await SampleAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        try
        {
            var queues = (await monitor.GetQueuesAsync(cancellationToken)).Select(q => q.Queue).ToArray();
            var ages = await browser.GetOldestAgesAsync(queues, cancellationToken);
            // A queue with nothing waiting has age 0, which the chart shows as such rather than as a gap.
            await stats.RecordQueueAgesAsync(queues.ToDictionary(q => q, q => ages.TryGetValue(q, out var age) ? age : TimeSpan.Zero), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or TaskQueueConnectionException)
        {
            LogBrokerError(logger, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Dashboard: could not sample queue ages: {Reason}")]
    private static partial void LogBrokerError(ILogger logger, string reason);
}
