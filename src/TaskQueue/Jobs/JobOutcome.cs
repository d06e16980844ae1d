using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>How a job run ended, as the worker hands it to the Complete script.</summary>
internal abstract record JobOutcome(string JobId, string Queue)
{
    /// <summary>Appends this outcome's values to the Complete script's ARGV (see Complete.lua for the layout).</summary>
    public abstract void AppendTo(List<RedisValue> args, bool streams);
}

/// <summary>The task returned; <paramref name="ResultJson"/> is its value as JSON, or null for none.
/// <paramref name="ResultTtlSeconds"/> is the job's own result TTL, for the log line only.</summary>
internal sealed record JobSucceeded(string JobId, string Queue, byte[]? ResultJson, long? ResultTtlSeconds = null) : JobOutcome(JobId, Queue)
{
    /// <remarks>Finished jobs are sent grouped by queue and by whether they have a result: the id, then the result
    /// when there is one.</remarks>
    public override void AppendTo(List<RedisValue> args, bool streams)
    {
        args.Add(JobId);
        if (ResultJson is not null) args.Add(streams ? Convert.ToBase64String(ResultJson) : ResultJson);
    }
}

/// <summary>The task threw, timed out, could not run, or was stopped.</summary>
internal sealed record JobFailed(string JobId, string Queue, string ExcInfo, bool Stopped, bool MayRetry) : JobOutcome(JobId, Queue)
{
    public override void AppendTo(List<RedisValue> args, bool streams)
    {
        var exc = JobData.CompressText(ExcInfo);
        args.Add(JobId);
        args.Add(Queue);
        args.Add(Stopped ? "stopped" : "failed");
        args.Add(MayRetry && !Stopped ? 1 : 0);
        args.Add(exc);
        args.Add(streams ? Convert.ToBase64String(exc) : RedisValue.EmptyString);
    }
}
