using System.Diagnostics.Metrics;
using TaskQueue.Monitoring;

namespace TaskQueue.Telemetry;

/// <summary>TaskQueue's instruments, on one <see cref="Meter"/> named <see cref="TaskQueueTelemetry.MeterName"/> per
/// container: job counters, run and wait histograms, and queue gauges read from the broker on collection.</summary>
/// <remarks>
/// The meter comes from the host's <see cref="IMeterFactory"/> when it has one (a generic host does), so that a
/// test's listener can tell its own container's instruments from another's; otherwise this owns a plain one.
/// Every recording checks <see cref="Instrument.Enabled"/> first: with no listener, nothing is tagged or allocated.
/// Counter and histogram attributes: <c>messaging.destination.name</c> (the queue), and <c>error.type</c> on
/// failures; they stay few, as a metric's attribute values must.
/// </remarks>
internal sealed class TaskQueueMetrics : IDisposable
{
    /// <summary>Bucket bounds for job durations and waits, in seconds: from a millisecond to ten minutes.</summary>
    private static readonly IReadOnlyList<double> SecondsBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Meter meter;
    private readonly bool ownsMeter;

    public TaskQueueMetrics(IMeterFactory? factory, QueueMonitor monitor, TimeProvider time)
    {
        var options = new MeterOptions(TaskQueueTelemetry.MeterName) { Version = TaskQueueTelemetry.Version };
        (meter, ownsMeter) = factory is null ? (new Meter(options), true) : (factory.Create(options), false);
        Enqueued = meter.CreateCounter<long>("taskqueue.jobs.enqueued", "{job}", "Jobs enqueued by this process.");
        Started = meter.CreateCounter<long>("taskqueue.jobs.started", "{job}", "Jobs this process's workers started.");
        Finished = meter.CreateCounter<long>("taskqueue.jobs.finished", "{job}", "Jobs that ended finished.");
        Failed = meter.CreateCounter<long>("taskqueue.jobs.failed", "{job}", "Jobs that ended failed or stopped, by error.type.");
        Retried = meter.CreateCounter<long>("taskqueue.jobs.retried", "{job}", "Failed runs put back for another try (queued or scheduled).");
        Abandoned = meter.CreateCounter<long>("taskqueue.jobs.abandoned", "{job}",
            "Jobs whose worker died, found by this process's sweep: queued again, or failed as poison pills (taskqueue.job.status).");
        Duration = meter.CreateHistogram("taskqueue.job.duration", "s", "How long a job ran, callbacks included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        QueueWait = meter.CreateHistogram("taskqueue.job.queue_wait", "s", "From a job's enqueued_at to its start.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        var gauges = new QueueGauges(monitor, time);
        meter.CreateObservableGauge("taskqueue.queue.length", gauges.Lengths, "{job}", "Jobs waiting in each queue (read from the broker on collection).");
        meter.CreateObservableGauge("taskqueue.queue.oldest_age", gauges.OldestAges, "s",
            "Age of the job next in line in each queue (read from the broker on collection); 0 when the queue is empty.");
    }

    /// <summary>The meter, for tests that listen to this container's instruments only.</summary>
    internal Meter Meter => meter;

    public Counter<long> Enqueued { get; }

    public Counter<long> Started { get; }

    public Counter<long> Finished { get; }

    public Counter<long> Failed { get; }

    public Counter<long> Retried { get; }

    public Counter<long> Abandoned { get; }

    public Histogram<double> Duration { get; }

    public Histogram<double> QueueWait { get; }

    /// <summary>Counts <paramref name="count"/> jobs enqueued on <paramref name="queue"/>.</summary>
    public void RecordEnqueued(string queue, int count)
    {
        if (Enqueued.Enabled) Enqueued.Add(count, new KeyValuePair<string, object?>(MessagingAttributes.DestinationName, queue));
    }

    public void Dispose()
    {
        if (ownsMeter) meter.Dispose();
    }
}
