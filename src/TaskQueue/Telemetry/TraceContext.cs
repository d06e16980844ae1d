using System.Diagnostics;
using StackExchange.Redis;

namespace TaskQueue.Telemetry;

/// <summary>The W3C trace context a job carries from the span that enqueued it to the span that runs it.</summary>
/// <remarks>Stored as two extra job-hash fields, <c>traceparent</c> and (when not empty) <c>tracestate</c>, which
/// RQ's readers and worker ignore. A bulk enqueue's jobs share one instance: one span sent them all.</remarks>
internal sealed record TraceContext(string Parent, string? State)
{
    /// <summary>W3C's limit for a propagated <c>tracestate</c>; a longer one is not stored nor read back.</summary>
    private const int MaxStateLength = 512;

    /// <summary>How many name/value pairs <see cref="AppendTo"/> adds.</summary>
    public int FieldCount => State is null ? 1 : 2;

    /// <summary>The context of <paramref name="activity"/>, or null when there is none to propagate (no span, or one
    /// not in W3C format).</summary>
    public static TraceContext? Of(Activity? activity)
    {
        if (activity is not { IdFormat: ActivityIdFormat.W3C, Id: { } id }) return null;
        var state = activity.TraceStateString is { Length: > 0 and <= MaxStateLength } s ? s : null;
        return new TraceContext(id, state);
    }

    /// <summary>Reads a context stored by <see cref="AppendTo"/>; false when it is missing or malformed (the job then
    /// starts a trace of its own).</summary>
    public static bool TryParse(string? parent, string? state, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrEmpty(parent)) return false;
        return ActivityContext.TryParse(parent, state is { Length: <= MaxStateLength } ? state : null, isRemote: true, out context);
    }

    /// <summary>Appends the fields as name/value pairs.</summary>
    public void AppendTo(List<RedisValue> fields)
    {
        fields.Add(TaskQueueTelemetry.TraceParentField);
        fields.Add(Parent);
        if (State is null) return;
        fields.Add(TaskQueueTelemetry.TraceStateField);
        fields.Add(State);
    }
}
