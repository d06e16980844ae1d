using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Jobs;

/// <summary>A job ready for the Enqueue script: where it goes, and the hash fields RQ's readers expect.
/// <c>Replace</c> is set when the caller chose the id, so an earlier job may hold it and must be cleared first.</summary>
internal sealed record NewJob(string Id, string Queue, bool AtFront, double? ScheduledAt, long? TtlSeconds,
    bool AllowDependencyFailures, bool Replace, IReadOnlyList<string> DependsOn, IReadOnlyList<RedisValue> Fields)
{
    /// <summary>Builds the hash of <paramref name="request"/> for <paramref name="queue"/>.</summary>
    /// <remarks>
    /// Fields left at RQ's defaults are not written (RQ reads a missing field as its default), which keeps
    /// each job small in Redis. <c>status</c> and <c>enqueued_at</c> are set by the script.
    /// </remarks>
    public static NewJob Build(JobRequest request, string queue, DateTimeOffset now, TaskQueueOptions defaults)
    {
        var o = request.Options;
        var json = JobData.Serialize(request.TaskName, request.Args, request.Kwargs, defaults.Json);
        var fields = new List<RedisValue>(24)
        {
            "created_at", RqTime.ToIso(now),
            "data", JobData.Pack(json.Span),
            "origin", queue,
            "description", o.Description ?? JobDescription.Of(JobData.Parse(json)),
            "timeout", Seconds(o.Timeout ?? defaults.DefaultTimeout),
        };
        if (o.ResultTtl is { } resultTtl) Add(fields, "result_ttl", Seconds(resultTtl));
        if (o.FailureTtl is { } failureTtl) Add(fields, "failure_ttl", Seconds(failureTtl));
        if (o.Ttl is { } ttl) Add(fields, "ttl", Seconds(ttl));
        if (o.Meta is { Count: > 0 } meta) Add(fields, "meta", System.Text.Json.JsonSerializer.Serialize(meta, defaults.Json));
        if (o.Retry is { } retry)
        {
            Add(fields, "retries_left", retry.Max);
            // RQ writes this with json.dumps: "[1, 2]".
            Add(fields, "retry_intervals", "[" + string.Join(", ", retry.Intervals.Select(i => RqTime.Seconds(i))) + "]");
        }
        if (o.DependsOn is { Count: > 0 } deps)
        {
            Add(fields, "dependency_id", deps[0]);
            Add(fields, "dependency_ids", System.Text.Json.JsonSerializer.Serialize(deps));
        }
        if (o.AllowDependencyFailures) Add(fields, "allow_dependency_failures", 1);
        if (o.AtFront) Add(fields, "enqueue_at_front", 1);
        if (o.OnSuccess is not null) Add(fields, "success_callback_name", o.OnSuccess);
        if (o.OnFailure is not null) Add(fields, "failure_callback_name", o.OnFailure);
        if (o.OnStopped is not null) Add(fields, "stopped_callback_name", o.OnStopped);

        var due = o.EnqueueAt ?? (o.EnqueueIn is { } delay ? now + delay : null);
        // A due time already past is no reason to wait for a scheduler: queue the job now.
        double? scheduledAt = due > now ? RqTime.ToScore(due.Value) : null;

        return new NewJob(o.JobId ?? Guid.NewGuid().ToString(), queue, o.AtFront, scheduledAt,
            o.Ttl is { } t ? Seconds(t) : null, o.AllowDependencyFailures, Replace: o.JobId is not null, o.DependsOn ?? [], fields);
    }

    /// <summary>Appends this job to an Enqueue / EnqueueCron argument list, as read_job_spec reads it.</summary>
    public void AppendTo(List<RedisValue> args)
    {
        args.Add(Id);
        args.Add(Queue);
        args.Add((AtFront ? 1 : 0) | (AllowDependencyFailures ? 2 : 0) | (Replace ? 4 : 0));
        args.Add(ScheduledAt is { } at ? RqTime.ScoreText(at) : "");
        args.Add(TtlSeconds is { } ttl ? ttl : "");
        args.Add(DependsOn.Count);
        foreach (var dep in DependsOn) args.Add(dep);
        args.Add(Fields.Count / 2);
        args.AddRange(Fields);
    }

    /// <summary>Whole seconds as RQ stores them; an infinite span is RQ's -1.</summary>
    private static long Seconds(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? -1 : RqTime.Seconds(span);

    private static void Add(List<RedisValue> fields, string name, RedisValue value)
    {
        fields.Add(name);
        fields.Add(value);
    }
}
