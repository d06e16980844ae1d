using System.Text.Json;
using System.Text.Json.Serialization;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Scheduling;

/// <summary>A periodic task as its scheduler publishes it in <c>rq:cron:entries</c> (JSON), so that any process can
/// list it, and run its job now, without the code that registered it.</summary>
/// <remarks>The job is kept as it is stored (its <c>data</c>, description, timeout and other hash fields), so a job
/// run by hand is the same job a tick enqueues.</remarks>
internal sealed record PublishedCron(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("expression")] string Expression,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("queue")] string Queue,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("data")] byte[] Data,
    [property: JsonPropertyName("timeout")] long TimeoutSeconds,
    [property: JsonPropertyName("ttl")] long? TtlSeconds,
    [property: JsonPropertyName("fields")] IReadOnlyList<string> Fields,
    [property: JsonPropertyName("published_at")] DateTimeOffset PublishedAt)
{
    /// <summary>The record of <paramref name="entry"/>, its job built as a tick would build it.</summary>
    public static PublishedCron Of(CronEntry entry, TaskQueueOptions options, DateTimeOffset now)
    {
        var job = NewJob.Build(entry.Job, entry.Queue ?? options.DefaultQueue, now, options);
        return new PublishedCron(entry.Name, entry.Text, entry.TimeZone.Id, job.Queue, entry.Job.TaskName, job.Description, job.Data,
            job.TimeoutSeconds, job.TtlSeconds, job.Extra.Select(v => v.ToString()).ToArray(), now);
    }

    /// <summary>The job to enqueue for a run of this entry, under <paramref name="id"/>.</summary>
    public NewJob ToJob(string id, DateTimeOffset now) =>
        new(id, Queue, AtFront: false, ScheduledAt: null, TtlSeconds, AllowDependencyFailures: false, ChosenId: false, OnConflict.Replace, RqTime.ToIso(now), [],
            Data, Description, TimeoutSeconds, Fields.Select(f => (StackExchange.Redis.RedisValue)f).ToArray());

    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The record in <paramref name="json"/>, or null when it is not one (written by another version, or by hand).</summary>
    public static PublishedCron? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<PublishedCron>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
