using System.Diagnostics;
using TaskQueue.Jobs;

namespace TaskQueue.Telemetry;

/// <summary>The <c>process &lt;queue&gt;</c> span of one job run (kind Consumer).</summary>
/// <remarks>
/// Its parent is the trace context stored with the job, so the run continues the trace of the request that
/// enqueued it, and it also links to that context, as the messaging conventions ask of a process span for each
/// message it handles. A job without a stored context (a cron tick, an RQ producer, a job enqueued while nothing
/// listened) starts a trace of its own, as does one with a malformed context.
/// </remarks>
internal static class ConsumerSpan
{
    /// <summary>Starts the span and makes it current for the rest of the caller's async flow; null, at no cost, when
    /// nothing listens.</summary>
    public static Activity? Start(StartedJob job)
    {
        if (!TaskQueueTelemetry.Source.HasListeners()) return null;
        ActivityContext parent = default;
        ActivityLink[]? links = null;
        if (TraceContext.TryParse(job.TraceParent, job.TraceState, out var stored))
        {
            parent = stored;
            links = [new ActivityLink(stored)];
        }
        // A default parent means "the current span": a job without a context of its own must not join whatever
        // trace the thread that runs it happens to carry.
        else if (Activity.Current is not null) Activity.Current = null;
        return TaskQueueTelemetry.Source.StartActivity(ActivityKind.Consumer, parent,
        [
            new(MessagingAttributes.System, TaskQueueTelemetry.MessagingSystem),
            new(MessagingAttributes.OperationType, "process"),
            new(MessagingAttributes.OperationName, "process"),
            new(MessagingAttributes.DestinationName, job.Queue),
            new(MessagingAttributes.MessageId, job.Id),
        ], links, name: "process " + job.Queue);
    }

    /// <summary>Ends the span: an error (with <c>error.type</c>) when the job failed or was not completed here.</summary>
    public static void Stop(Activity span, JobOutcome? outcome, string? notCompleted)
    {
        switch (outcome)
        {
            case JobFailed failed:
                span.SetStatus(ActivityStatusCode.Error, ErrorTypes.FirstLine(failed.ExcInfo));
                span.SetTag(MessagingAttributes.ErrorType, ErrorTypes.Of(failed.ExcInfo));
                break;
            case null:
                span.SetStatus(ActivityStatusCode.Error, "the job was released or lost before it completed here");
                span.SetTag(MessagingAttributes.ErrorType, notCompleted ?? "_OTHER");
                break;
        }
        span.Dispose();
    }
}
