using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Monitoring;
using TaskQueue.Workers;

namespace TaskQueue.Health;

/// <summary>Is this process's TaskQueue healthy: the broker answers a PING in time, each worker running here has
/// heartbeated recently, and (when thresholds are set) no queue is too long or waits too long.</summary>
/// <remarks>The broker check fails with the registration's failure status (Unhealthy by default); a silent worker
/// is Unhealthy; queue thresholds give Degraded or Unhealthy as configured. <see cref="HealthCheckResult.Data"/>
/// carries what was measured, so <c>/health</c> can show why.</remarks>
internal sealed class TaskQueueHealthCheck(TaskQueueHealthOptions options, BrokerConnection broker, QueueMonitor monitor,
    WorkerHeartbeats heartbeats, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            var redis = await broker.GetAsync(timeout.Token);
            await redis.Database.PingAsync().WaitAsync(timeout.Token);
            data["broker_ms"] = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or TaskQueueConnectionException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var why = e is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.###} s" : e.Message;
            return new HealthCheckResult(context.Registration.FailureStatus, $"The broker does not answer: {why}", e, data);
        }

        var now = time.GetUtcNow();
        var problems = new List<(HealthStatus Status, string Text)>();
        var workers = heartbeats.Snapshot();
        data["workers"] = workers.Count;
        foreach (var worker in workers)
        {
            var silent = now - worker.LastBeat;
            if (silent > worker.Interval * options.MissedHeartbeats)
            {
                problems.Add((HealthStatus.Unhealthy, $"Worker {worker.Worker} has not heartbeated for {silent.TotalSeconds:0.#} s."));
            }
        }
        if (options.HasQueueThresholds)
        {
            foreach (var queue in await monitor.GetBacklogAsync(options.Queues?.ToArray(), cancellationToken))
            {
                var age = queue.AgeAt(now);
                data[$"queue.{queue.Queue}.length"] = queue.Length;
                data[$"queue.{queue.Queue}.oldest_age_s"] = Math.Round(age.TotalSeconds, 1);
                Check(problems, queue.Length > options.UnhealthyQueueLength, queue.Length > options.DegradedQueueLength,
                    $"Queue {queue.Queue} holds {queue.Length} jobs.");
                Check(problems, age > options.UnhealthyQueueAge, age > options.DegradedQueueAge,
                    $"Queue {queue.Queue}'s next job has waited {age.TotalSeconds:0.#} s.");
            }
        }
        if (problems.Count == 0) return HealthCheckResult.Healthy(null, data);
        var worst = problems.Min(p => p.Status);
        return new HealthCheckResult(worst, string.Join(" ", problems.Where(p => p.Status == worst).Select(p => p.Text)), null, data);
    }

    private static void Check(List<(HealthStatus, string)> problems, bool unhealthy, bool degraded, string text)
    {
        if (unhealthy) problems.Add((HealthStatus.Unhealthy, text));
        else if (degraded) problems.Add((HealthStatus.Degraded, text));
    }
}
