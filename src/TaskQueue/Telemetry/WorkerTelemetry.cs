using System.Diagnostics;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Telemetry;

/// <summary>What a worker reports to traces and metrics, one call per hook in its loop: jobs started, each run
/// (its span and duration), outcomes recorded, abandoned jobs swept.</summary>
/// <remarks>Each hook checks for a listener before it does anything, so a worker nobody observes pays a few
/// branches per batch and per job, no allocation and no Redis work.</remarks>
internal sealed class WorkerTelemetry(TaskQueueMetrics metrics, TimeProvider time)
{
    /// <summary>Whether the next Complete call should return the started jobs' <c>enqueued_at</c>: only while the
    /// queue-wait histogram is listened to (one more reply value per job then).</summary>
    public bool WantsEnqueuedAt => metrics.QueueWait.Enabled;

    /// <summary>Jobs of one Complete reply started: counts them, and records how long each waited in its queue when its
    /// <c>enqueued_at</c> came with it (see <see cref="WantsEnqueuedAt"/>).</summary>
    public void Started(IReadOnlyList<StartedJob> jobs)
    {
        if (metrics.Started.Enabled)
        {
            foreach (var job in jobs) metrics.Started.Add(1, Queue(job.Queue));
        }
        if (!metrics.QueueWait.Enabled) return;
        var now = time.GetUtcNow();
        foreach (var job in jobs)
        {
            // enqueued_at is the producer's clock, started here on this one: a skew below zero counts as no wait.
            if (job.EnqueuedAt is not { } enqueuedAt) continue;
            var wait = now - enqueuedAt;
            metrics.QueueWait.Record(wait > TimeSpan.Zero ? wait.TotalSeconds : 0, Queue(job.Queue));
        }
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

    /// <summary>Complete recorded <paramref name="outcome"/> as <paramref name="recorded"/>: counts it finished, failed
    /// or retried (a job recorded by an earlier call whose reply was lost, by its outcome; one no longer this
    /// worker's, not at all).</summary>
    public void Recorded(JobOutcome outcome, Recording recorded)
    {
        switch (recorded)
        {
            case Recording.NotOwned:
                return;
            case Recording.Requeued or Recording.Scheduled:
                if (metrics.Retried.Enabled) metrics.Retried.Add(1, Queue(outcome.Queue));
                return;
        }
        switch (outcome)
        {
            case JobSucceeded:
                if (metrics.Finished.Enabled) metrics.Finished.Add(1, Queue(outcome.Queue));
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

    private static KeyValuePair<string, object?> Queue(string queue) => new(MessagingAttributes.DestinationName, queue);

    private static KeyValuePair<string, object?> Error(JobFailed failed) => new(MessagingAttributes.ErrorType, ErrorTypes.Of(failed.ExcInfo));
}
