using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>How a job run ended, as the worker hands it to the Complete script.</summary>
internal abstract record JobOutcome(string JobId, string Queue)
{
    public abstract void AppendTo(List<RedisValue> args, bool streams);
}

/// <summary>The task returned; <paramref name="ResultJson"/> is its value as JSON, or null for none.
/// <paramref name="ResultTtlSeconds"/> is the job's own result TTL, for the log line only.</summary>
internal sealed record JobSucceeded(string JobId, string Queue, byte[]? ResultJson, long? ResultTtlSeconds = null) : JobOutcome(JobId, Queue)
{
    public override void AppendTo(List<RedisValue> args, bool streams)
    {
        args.Add("f");
        args.Add(JobId);
        args.Add(Queue);
        args.Add(ResultJson is null ? RedisValue.EmptyString : streams ? Convert.ToBase64String(ResultJson) : ResultJson);
    }
}

/// <summary>The task threw, timed out, could not run, or was stopped.</summary>
internal sealed record JobFailed(string JobId, string Queue, string ExcInfo, bool Stopped, bool MayRetry) : JobOutcome(JobId, Queue)
{
    public override void AppendTo(List<RedisValue> args, bool streams)
    {
        var exc = JobData.CompressText(ExcInfo);
        args.Add("x");
        args.Add(JobId);
        args.Add(Queue);
        args.Add(Stopped ? "stopped" : "failed");
        args.Add(MayRetry && !Stopped ? 1 : 0);
        args.Add(exc);
        args.Add(streams ? Convert.ToBase64String(exc) : RedisValue.EmptyString);
    }
}
