using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Telemetry;
using TaskQueue.Tests.Workers;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Telemetry;

/// <summary>TaskQueue's instruments through a <see cref="MeterListener"/> on one test's own container.</summary>
public sealed class MetricsTests(TestBroker broker)
{
    [Fact]
    public async Task Worker_FinishedFailedAndRetriedJobs_CountedAndTimedPerQueue()
    {
        await using var q = await TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));
        using var recorded = new Recorder(q);
        await q.Client.Queue("m").EnqueueManyAsync([
            JobRequest.Create("tests.add", [1, 1]),
            JobRequest.Create("tests.fail", ["no"]),
            JobRequest.Create("tests.flaky", [1], options: new EnqueueOptions { Retry = new Retry(1) }),
        ]);

        await q.RunBurstAsync(o => o.Queues = ["m"]);

        Assert.Equal(3, recorded.Sum("taskqueue.jobs.enqueued", "m"));
        Assert.Equal(4, recorded.Sum("taskqueue.jobs.started", "m"));
        Assert.Equal(2, recorded.Sum("taskqueue.jobs.finished", "m"));
        Assert.Equal(1, recorded.Sum("taskqueue.jobs.retried", "m"));
        var failed = Assert.Single(recorded.Of("taskqueue.jobs.failed"));
        Assert.Equal("System.InvalidOperationException", failed.Tags["error.type"]);
        Assert.Equal(4, recorded.Of("taskqueue.job.duration").Count);
        Assert.Equal(2, recorded.Of("taskqueue.job.duration").Count(m => m.Tags.ContainsKey("error.type")));
        // From the enqueued_at that Complete returns while the histogram is listened to.
        await Eventually.HoldsAsync(() => Task.FromResult(recorded.Of("taskqueue.job.queue_wait").Count == 4), "a queue wait per started job");
        Assert.All(recorded.Of("taskqueue.job.queue_wait"), m => Assert.True(m.Value >= 0));
    }

    [Fact]
    public async Task Gauges_Collected_ReportEachQueuesLengthAndOldestAge()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var q = await TestQueue.CreateAsync(broker, services: s => s.AddSingleton<TimeProvider>(clock));
        using var recorded = new Recorder(q);
        await q.Client.Queue("g1").EnqueueManyAsync([JobRequest.Create("tests.add"), JobRequest.Create("tests.add")]);
        clock.Advance(TimeSpan.FromSeconds(90));
        await q.Client.Queue("g2").EnqueueAsync("tests.add");
        clock.Advance(TimeSpan.FromSeconds(30));

        recorded.Collect();

        Assert.Equal(2, recorded.Sum("taskqueue.queue.length", "g1"));
        Assert.Equal(1, recorded.Sum("taskqueue.queue.length", "g2"));
        // enqueued_at keeps milliseconds: the ages are exact to one.
        Assert.InRange(recorded.Sum("taskqueue.queue.oldest_age", "g1"), 119.998, 120.001);
        Assert.InRange(recorded.Sum("taskqueue.queue.oldest_age", "g2"), 29.998, 30.001);
    }

    [Fact]
    public async Task Gauges_BrokerUnreachable_ReportNothingWithinTheReadBound()
    {
        await using var q = await TestQueue.CreateAsync(broker, options: o => o.Url = "redis://127.0.0.1:1");
        using var recorded = new Recorder(q);

        recorded.Collect();

        Assert.Empty(recorded.Of("taskqueue.queue.length"));
    }

    /// <summary>Every measurement of the test's own container's instruments.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentQueue<(string Instrument, Measurement Measurement)> measurements = new();

        public Recorder(TestQueue q)
        {
            var meter = q.Services.GetRequiredService<TaskQueueMetrics>().Meter;
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
            listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
            listener.Start();
        }

        public void Collect() => listener.RecordObservableInstruments();

        public IReadOnlyList<Measurement> Of(string instrument) => measurements.Where(m => m.Instrument == instrument).Select(m => m.Measurement).ToArray();

        public double Sum(string instrument, string queue) =>
            Of(instrument).Where(m => Equals(m.Tags.GetValueOrDefault("messaging.destination.name"), queue)).Sum(m => m.Value);

        public void Dispose() => listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            measurements.Enqueue((instrument.Name, new Measurement(value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
    }

    private sealed record Measurement(double Value, Dictionary<string, object?> Tags);
}
