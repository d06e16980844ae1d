using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TaskQueue.Telemetry;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Telemetry;

/// <summary>A real OpenTelemetry tracer provider, with the in-memory exporter, listening to TaskQueue's source and the
/// tests' own; the spans it exported, safe to read while workers of other tests add theirs.</summary>
/// <remarks>TaskQueue's source is one per process, so the log holds every test's spans: tests pick theirs by trace id.</remarks>
public sealed class SpanLog : IDisposable
{
    /// <summary>The tests' own source, for the spans they enqueue inside.</summary>
    public static readonly ActivitySource Tests = new("TaskQueue.Tests");

    private readonly LockedCollection<Activity> spans = new();
    private readonly TracerProvider provider;

    public SpanLog() => provider = Sdk.CreateTracerProviderBuilder()
        .AddSource(TaskQueueTelemetry.SourceName, Tests.Name)
        .AddInMemoryExporter(spans)
        .Build()!;

    /// <summary>The spans of <paramref name="trace"/> exported so far.</summary>
    public IReadOnlyList<Activity> Of(ActivityTraceId trace) => Where(s => s.TraceId == trace);

    /// <summary>The exported spans that match <paramref name="match"/>.</summary>
    public IReadOnlyList<Activity> Where(Func<Activity, bool> match) => [.. spans.Snapshot().Where(match)];

    /// <summary>Waits for the span of <paramref name="jobId"/>'s run.</summary>
    public async Task<Activity> ProcessSpanAsync(string jobId) => (await Eventually.ReturnsAsync(
        () => Task.FromResult(Where(s => s.Kind == ActivityKind.Consumer && Equals(s.GetTagItem("messaging.message.id"), jobId)).FirstOrDefault()),
        s => s is not null, $"the process span of job {jobId}"))!;

    public void Dispose() => provider.Dispose();
}
