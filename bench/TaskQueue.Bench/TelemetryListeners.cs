using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TaskQueue.Bench;

/// <summary>With <c>TASKQUEUE_BENCH_TELEMETRY=1</c>, listens to TaskQueue's spans (every one recorded) and instruments
/// (every measurement taken) for the whole run, so a run measures the cost of telemetry switched on; without it,
/// nothing listens, which is what a run with telemetry off measures.</summary>
/// <remarks>The listeners drop what they receive: this prices TaskQueue's own work (spans, tags, the trace fields in
/// Redis, the queue-wait reads), not an exporter's.</remarks>
internal static class TelemetryListeners
{
    public const string Variable = "TASKQUEUE_BENCH_TELEMETRY";

    public static IDisposable? StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return null;
        var spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "TaskQueue",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(spans);
        var metrics = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "TaskQueue") listener.EnableMeasurementEvents(instrument);
            },
        };
        metrics.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        metrics.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        metrics.Start();
        return new Both(spans, metrics);
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
