using System.Diagnostics;
using TaskQueue.Jobs;

namespace TaskQueue.Telemetry;

/// <summary>The <c>send &lt;queue&gt;</c> span of one enqueue call (kind Producer), whose context every job of the call
/// carries (OpenTelemetry's messaging conventions: without "create" spans, a publish span's context is the jobs'
/// creation context).</summary>
internal static class ProducerSpan
{
    /// <summary>Starts the span as a child of the current one; null, at no cost, when nothing listens.</summary>
    public static Activity? Start(string queue)
    {
        if (!TaskQueueTelemetry.Source.HasListeners()) return null;
        return TaskQueueTelemetry.Source.StartActivity(ActivityKind.Producer, tags:
        [
            new(MessagingAttributes.System, TaskQueueTelemetry.MessagingSystem),
            new(MessagingAttributes.OperationType, "send"),
            new(MessagingAttributes.OperationName, "send"),
            new(MessagingAttributes.DestinationName, queue),
        ], name: "send " + queue);
    }

    /// <summary>Names what was sent: the job's id for one job, the count for a batch (a batch's span describes no single job).</summary>
    public static void Sent(Activity? span, IReadOnlyList<NewJob> jobs)
    {
        if (span is not { IsAllDataRequested: true }) return;
        if (jobs.Count == 1) span.SetTag(MessagingAttributes.MessageId, jobs[0].Id);
        else span.SetTag(MessagingAttributes.BatchMessageCount, jobs.Count);
    }

    /// <summary>Marks the span failed with the exception's type.</summary>
    public static void Failed(Activity? span, Exception error)
    {
        if (span is null) return;
        span.SetStatus(ActivityStatusCode.Error, error.Message);
        span.SetTag(MessagingAttributes.ErrorType, error.GetType().FullName);
    }
}
