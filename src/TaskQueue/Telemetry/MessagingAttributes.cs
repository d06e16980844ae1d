namespace TaskQueue.Telemetry;

/// <summary>The attribute names of OpenTelemetry's messaging and error conventions that TaskQueue sets.</summary>
internal static class MessagingAttributes
{
    public const string System = "messaging.system";
    public const string DestinationName = "messaging.destination.name";
    public const string MessageId = "messaging.message.id";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string BatchMessageCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";

    /// <summary>TaskQueue's own: what became of an abandoned job (<c>queued</c> again, or <c>failed</c>).</summary>
    public const string JobStatus = "taskqueue.job.status";
}
