using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.Telemetry;

namespace TaskQueue.Jobs;

/// <summary>A job ready for the Enqueue script: where it goes, its <c>data</c>, <c>description</c> and <c>timeout</c>,
/// and the other hash fields RQ's readers expect beyond <c>origin</c> (<paramref name="Extra"/>, name/value pairs).
/// <c>ChosenId</c> is set when the caller chose the id: another job may hold it, and <c>OnConflict</c> says what then.
/// <c>Trace</c> is the context of the span that enqueued it, when one was recorded.</summary>
internal sealed record NewJob(string Id, string Queue, bool AtFront, double? ScheduledAt, long? TtlSeconds,
    bool AllowDependencyFailures, bool ChosenId, OnConflict OnConflict, string CreatedAt, IReadOnlyList<string> DependsOn, byte[] Data,
    string Description, long TimeoutSeconds, IReadOnlyList<RedisValue> Extra, TraceContext? Trace = null)
{
    /// <summary>RQ's default job timeout in seconds (<c>Queue.DEFAULT_TIMEOUT</c>), which Enqueue.lua writes for a plain job.</summary>
    public const long RqDefaultTimeoutSeconds = 180;

    /// <summary>A job that only goes to the end of its queue with its data, its description and RQ's default timeout:
    /// the Enqueue script takes it as id, data and description alone (Enqueue.lua), three values instead of a dozen.
    /// Its <see cref="Trace"/> goes once per run of such jobs.</summary>
    public bool IsPlain => !AtFront && ScheduledAt is null && TtlSeconds is null && !AllowDependencyFailures && !ChosenId
                           && DependsOn.Count == 0 && Extra.Count == 0 && TimeoutSeconds == RqDefaultTimeoutSeconds;

    /// <summary>Builds the hash of <paramref name="request"/> for <paramref name="queue"/>.</summary>
    /// <remarks>
    /// Optional fields left at RQ's defaults are not written (RQ reads a missing field as its default), which keeps
    /// each job small in Redis: every byte of a job hash is kept for its result TTL. <c>description</c> (RQ's call
    /// string unless the caller gave one) and <c>timeout</c> are always written: RQ's worker computes
    /// <c>job.timeout + 60</c> while a job runs and fails on a job without one, and RQ's tools show the description.
    /// <c>created_at</c> is written only when the job does not go straight to its queue (otherwise it equals
    /// <c>enqueued_at</c>). <c>status</c> and <c>enqueued_at</c> are set by the script.
    /// </remarks>
    public static NewJob Build(JobRequest request, string queue, DateTimeOffset now, TaskQueueOptions defaults) =>
        Build(request, queue, now, RqTime.ToIso(now), defaults);

    /// <summary>As <see cref="Build(JobRequest, string, DateTimeOffset, TaskQueueOptions)"/>, with <paramref name="now"/>
    /// already formatted (a bulk enqueue formats it once), carrying <paramref name="trace"/>.</summary>
    public static NewJob Build(JobRequest request, string queue, DateTimeOffset now, string nowIso, TaskQueueOptions defaults,
        TraceContext? trace = null)
    {
        var o = request.Options;
        CheckLimits(o);
        var (data, description, jsonLength) = JobData.Payload(request.TaskName, request.Args, request.Kwargs, defaults.Json);
        if (jsonLength > defaults.MaxJobDataBytes)
        {
            throw new ArgumentException($"The job's data ({request.TaskName} and its arguments) is {jsonLength} bytes, over the limit of " +
                                        $"{defaults.MaxJobDataBytes} (TaskQueueOptions.MaxJobDataBytes); workers would refuse it.", nameof(request));
        }
        // No capacity: a job with no extra fields (the usual case) allocates no array for them.
        var fields = new List<RedisValue>();
        AddExtraFields(fields, o, defaults);

        var due = o.EnqueueAt ?? (o.EnqueueIn is { } delay ? now + delay : null);
        // A due time already past is no reason to wait for a scheduler: queue the job now.
        double? scheduledAt = due > now ? RqTime.ToScore(due.Value) : null;

        return new NewJob(o.JobId ?? JobIds.New(), queue, o.AtFront, scheduledAt, o.Ttl is { } t ? Seconds(t) : null,
            o.AllowDependencyFailures, ChosenId: o.JobId is not null, o.OnConflict, nowIso, o.DependsOn ?? [], data,
            o.Description ?? description, Seconds(o.Timeout ?? defaults.DefaultTimeout), fields, trace);
    }

    /// <summary>Refuses durations a worker would refuse (see <see cref="JobLimits"/>), a blank id and an unknown conflict
    /// choice, before anything is written.</summary>
    private static void CheckLimits(EnqueueOptions o)
    {
        static void Check(TimeSpan? span, string name)
        {
            if (span is { } s && s != Timeout.InfiniteTimeSpan && (s < TimeSpan.Zero || s > TimeSpan.FromSeconds(JobLimits.MaxSeconds)))
            {
                throw new ArgumentOutOfRangeException(name, s, $"{name} must be between 0 and {JobLimits.MaxSeconds} seconds (100 years), or infinite.");
            }
        }
        Check(o.Timeout, nameof(o.Timeout));
        Check(o.ResultTtl, nameof(o.ResultTtl));
        Check(o.FailureTtl, nameof(o.FailureTtl));
        Check(o.Ttl, nameof(o.Ttl));
        if (o.JobId is { } id && string.IsNullOrWhiteSpace(id)) throw new ArgumentException("JobId must not be empty or blank.", nameof(o.JobId));
        if (!Enum.IsDefined(o.OnConflict)) throw new ArgumentOutOfRangeException(nameof(o.OnConflict), o.OnConflict, "OnConflict is not one of its values.");
    }

    private static void AddExtraFields(List<RedisValue> fields, EnqueueOptions o, TaskQueueOptions defaults)
    {
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
    }

    /// <summary>Appends this job to an Enqueue / EnqueueCron argument list, as read_job_spec reads it.</summary>
    public void AppendTo(List<RedisValue> args)
    {
        args.Add(Id);
        args.Add(Queue);
        args.Add((AtFront ? 1 : 0) | (AllowDependencyFailures ? 2 : 0) | (ChosenId ? 4 : 0)
                 | OnConflict switch { OnConflict.Reject => 8, OnConflict.ReturnExisting => 16, _ => 0 });
        args.Add(ScheduledAt is { } at ? RqTime.ScoreText(at) : "");
        args.Add(TtlSeconds is { } ttl ? ttl : "");
        args.Add(CreatedAt);
        args.Add(DependsOn.Count);
        foreach (var dep in DependsOn) args.Add(dep);
        args.Add(4 + Extra.Count / 2 + (Trace?.FieldCount ?? 0));
        args.Add("data");
        args.Add(Data);
        args.Add("origin");
        args.Add(Queue);
        args.Add("description");
        args.Add(Description);
        args.Add("timeout");
        args.Add(TimeoutSeconds);
        args.AddRange(Extra);
        Trace?.AppendTo(args);
    }

    /// <summary>Whole seconds as RQ stores them; an infinite span is RQ's -1.</summary>
    private static long Seconds(TimeSpan span) => span == Timeout.InfiniteTimeSpan ? -1 : RqTime.Seconds(span);

    private static void Add(List<RedisValue> fields, string name, RedisValue value)
    {
        fields.Add(name);
        fields.Add(value);
    }
}
