using System.Text.Json;
using TaskQueue.Storage;

namespace TaskQueue;

/// <summary>Where the broker is and the defaults jobs get; bound from the <c>TaskQueue</c> configuration section.</summary>
public sealed class TaskQueueOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "TaskQueue";

    /// <summary>The broker: <c>redis[s]://[[user]:password@]host[:port][/db]</c>.</summary>
    public string Url { get; set; } = "redis://127.0.0.1:6379";

    /// <summary>Every key starts with this; RQ and its tools only see the default, <c>rq:</c>.</summary>
    public string KeyPrefix { get; set; } = RedisKeys.DefaultPrefix;

    /// <summary>The queue jobs go to when none is named.</summary>
    public string DefaultQueue { get; set; } = "default";

    /// <summary>The timeout written into each job this process enqueues unless it says otherwise (RQ's default, 180 s).
    /// A job found without one runs under RQ's 180 s, as in RQ's worker.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(180);

    /// <summary>How long a finished job and its result are kept unless it says otherwise (RQ's default, 500 s).</summary>
    public TimeSpan DefaultResultTtl { get; set; } = TimeSpan.FromSeconds(500);

    /// <summary>How long a failed job is kept unless it says otherwise (RQ's default, one year).</summary>
    public TimeSpan DefaultFailureTtl { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The largest job <c>data</c> (its call and arguments), compressed or not: a producer refuses to enqueue a
    /// bigger one, and a worker fails one with a reason instead of running it (16 MiB unless set).</summary>
    public int MaxJobDataBytes { get; set; } = Jobs.JobLimits.DefaultMaxDataBytes;

    /// <summary>Jobs per script call in bulk enqueue; batches are pipelined.</summary>
    public int EnqueueBatchSize { get; set; } = 200;

    /// <summary>How arguments, results and meta are written and read.</summary>
    public JsonSerializerOptions Json { get; set; } = new(JsonSerializerDefaults.General);
}
