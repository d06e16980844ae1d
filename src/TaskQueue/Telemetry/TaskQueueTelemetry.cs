using System.Diagnostics;
using System.Reflection;

namespace TaskQueue.Telemetry;

/// <summary>The names TaskQueue's traces and metrics go by, for a host's OpenTelemetry setup:
/// <c>.AddSource(TaskQueueTelemetry.SourceName)</c> and <c>.AddMeter(TaskQueueTelemetry.MeterName)</c>.</summary>
/// <remarks>
/// Spans follow OpenTelemetry's messaging conventions: <c>send &lt;queue&gt;</c> (producer) per enqueue call and
/// <c>process &lt;queue&gt;</c> (consumer) per job run, whose parent is the trace context stored with the job. Nothing is
/// created, allocated or stored while no listener subscribes to the source or an instrument.
/// </remarks>
public static class TaskQueueTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name of TaskQueue's spans.</summary>
    public const string SourceName = "TaskQueue";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of TaskQueue's instruments.</summary>
    public const string MeterName = "TaskQueue";

    /// <summary>The <c>messaging.system</c> attribute of every span.</summary>
    /// <remarks>The system is the protocol, RQ's layout on Redis, not this client: as <c>kafka</c> names every Kafka
    /// client, <c>rq</c> names TaskQueue and Python RQ alike. The instrumentation scope (<see cref="SourceName"/>)
    /// names the library.</remarks>
    public const string MessagingSystem = "rq";

    /// <summary>The job-hash field holding the W3C <c>traceparent</c> of the span that enqueued the job.</summary>
    public const string TraceParentField = "traceparent";

    /// <summary>The job-hash field holding the W3C <c>tracestate</c>, written only when it is not empty.</summary>
    public const string TraceStateField = "tracestate";

    /// <summary>The library's version, as spans and instruments report it.</summary>
    internal static string Version { get; } =
        typeof(TaskQueueTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    /// <summary>The one source of TaskQueue's spans.</summary>
    /// <remarks>Static, as .NET's guidance has it for an <see cref="ActivitySource"/>: listeners subscribe by name
    /// for the whole process, and a source per container would only multiply the same name.</remarks>
    internal static ActivitySource Source { get; } = new(SourceName, Version);
}
