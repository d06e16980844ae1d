using System.Diagnostics;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Telemetry;

/// <summary>What a worker reports to traces and metrics, one call per hook in its loop: jobs started, each run
/// (its span and duration), outcomes recorded, abandoned jobs swept.</summary>
/// <remarks>Each hook checks for a listener before it does anything, so a worker nobody observes pays a few
/// branches per batch and per job, no allocation and no Redis command.</remarks>
internal sealed class WorkerTelemetry(TaskQueueMetrics metrics, BrokerConnection broker, RedisKeys keys, TimeProvider time)
{
    /// <summary>Jobs of one Complete reply started: counts them and, when the wait histogram is listened to, reads their
    /// <c>enqueued_at</c> in the background (one pipelined HGET per job, off the job's path).</summary>
    public void Started(IReadOnlyList<StartedJob> jobs)
    {
        if (metrics.Started.Enabled)
        {
            foreach (var job in jobs) metrics.Started.Add(1, Queue(job.Queue));
        }
        if (metrics.QueueWait.Enabled) _ = RecordQueueWaitAsync(jobs, time.GetUtcNow());
    }

    /// <summary>Starts a job's span (see <see cref="ConsumerSpan"/>); null when nothing listens.</summary>
    public Activity? StartRun(StartedJob job) => ConsumerSpan.Start(job);

    /// <summary>A run ended (<paramref name="began"/> is its <see cref="Stopwatch"/> timestamp): ends its span and
    /// records its duration. <paramref name="outcome"/> is null when it was released or lost.</summary>
    public void Ran(StartedJob job, JobOutcome? outcome, CancelReason reason, long began, Activity? span)
    {
        if (span is not null)
        {
            ConsumerSpan.Stop(span, outcome, reason switch
            {
                CancelReason.Shutdown => "shutdown",
                CancelReason.LeaseLost => "lease_lost",
                _ => null,
            });
        }
        if (!metrics.Duration.Enabled) return;
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        if (outcome is JobFailed failed) metrics.Duration.Record(seconds, Queue(job.Queue), Error(failed));
        else metrics.Duration.Record(seconds, Queue(job.Queue));
    }

    /// <summary>Complete recorded <paramref name="outcome"/> as <paramref name="recorded"/> ("1", "0" when the job was no
    /// longer this worker's, or a failed job's new status): counts it finished, failed or retried.</summary>
    public void Recorded(JobOutcome outcome, string recorded)
    {
        if (recorded == "0") return;
        switch (outcome)
        {
            case JobSucceeded:
                if (metrics.Finished.Enabled) metrics.Finished.Add(1, Queue(outcome.Queue));
                return;
            case JobFailed { Stopped: false } when recorded is "queued" or "scheduled":
                if (metrics.Retried.Enabled) metrics.Retried.Add(1, Queue(outcome.Queue));
                return;
            case JobFailed failed:
                if (metrics.Failed.Enabled) metrics.Failed.Add(1, Queue(outcome.Queue), Error(failed));
                return;
        }
    }

    /// <summary>The sweep moved jobs whose worker died: counts them by what became of them.</summary>
    public void Abandoned(IReadOnlyList<(string JobId, JobStatus Status)> moved)
    {
        if (!metrics.Abandoned.Enabled) return;
        foreach (var (_, status) in moved)
        {
            metrics.Abandoned.Add(1, new KeyValuePair<string, object?>(MessagingAttributes.JobStatus, status.ToRq()));
        }
    }

    private async Task RecordQueueWaitAsync(IReadOnlyList<StartedJob> jobs, DateTimeOffset startedAt)
    {
        try
        {
            var db = (await broker.GetAsync()).Database;
            var reads = new Task<RedisValue>[jobs.Count];
            for (var i = 0; i < jobs.Count; i++) reads[i] = db.HashGetAsync(keys.Job(jobs[i].Id), "enqueued_at");
            for (var i = 0; i < jobs.Count; i++)
            {
                // enqueued_at is the producer's clock, started here on this one: a skew below zero counts as no wait.
                if (RqTime.ParseIso((await reads[i]).ToString()) is not { } enqueuedAt) continue;
                var wait = startedAt - enqueuedAt;
                metrics.QueueWait.Record(wait > TimeSpan.Zero ? wait.TotalSeconds : 0, Queue(jobs[i].Queue));
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or TaskQueueConnectionException)
        {
            // A metric is not worth a failure: the broker's trouble shows in the worker's own log and health.
        }
    }

    private static KeyValuePair<string, object?> Queue(string queue) => new(MessagingAttributes.DestinationName, queue);

    private static KeyValuePair<string, object?> Error(JobFailed failed) => new(MessagingAttributes.ErrorType, ErrorTypes.Of(failed.ExcInfo));
}
