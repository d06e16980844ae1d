using System.Diagnostics.Metrics;
using TaskQueue.Monitoring;

namespace TaskQueue.Telemetry;

/// <summary>The queue gauges' values: each queue's length and the age of its next job, read from the broker when a
/// collection asks for them.</summary>
/// <remarks>
/// Observable instruments are read synchronously, so a collection waits for one read of at most
/// <see cref="ReadTimeout"/>, then reports the last values it has. Both gauges of one collection share a read, and
/// reads are at least <see cref="MinInterval"/> apart however many collectors ask: three pipelined round trips
/// (the queue set, then a length and a head per queue, then the heads' <c>enqueued_at</c>) for at most
/// <see cref="QueueMonitor.BacklogLimit"/> queues. Nothing is read while no listener collects them.
/// </remarks>
internal sealed class QueueGauges(QueueMonitor monitor, TimeProvider time)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    private readonly Lock gate = new();
    private IReadOnlyList<QueueBacklog> last = [];
    private DateTimeOffset readAt = DateTimeOffset.MinValue;
    private Task<IReadOnlyList<QueueBacklog>>? reading;

    public IEnumerable<Measurement<long>> Lengths() =>
        Sample().Select(q => new Measurement<long>(q.Length, new KeyValuePair<string, object?>(MessagingAttributes.DestinationName, q.Queue)));

    public IEnumerable<Measurement<double>> OldestAges()
    {
        var now = time.GetUtcNow();
        return Sample().Select(q => new Measurement<double>(q.AgeAt(now).TotalSeconds,
            new KeyValuePair<string, object?>(MessagingAttributes.DestinationName, q.Queue)));
    }

    private IReadOnlyList<QueueBacklog> Sample()
    {
        Task<IReadOnlyList<QueueBacklog>> read;
        lock (gate)
        {
            if (time.GetUtcNow() - readAt < MinInterval) return last;
            reading ??= monitor.GetBacklogAsync();
            read = reading;
        }
        try
        {
            // A collection is synchronous: wait a bounded time; a read still running is awaited by the next collection.
            if (!read.Wait(ReadTimeout)) return last;
        }
        catch (AggregateException)
        {
            // The broker is down (or the container is going away): no values rather than stale ones; the health
            // check says why. A collection must not throw into the exporter.
            lock (gate)
            {
                if (reading == read) (reading, last, readAt) = (null, [], time.GetUtcNow());
            }
            return [];
        }
        lock (gate)
        {
            if (reading == read) (reading, last, readAt) = (null, read.Result, time.GetUtcNow());
            return last;
        }
    }
}
