using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>A job the Dequeue step just started for this worker, with the fields needed to run it.</summary>
/// <remarks>The field order is Dequeue.lua's JOB_FIELDS.</remarks>
internal sealed record StartedJob(
    string Id, string Queue, byte[] Data, long? TimeoutSeconds, string? Description, int? RetriesLeft, string? Meta,
    string? SuccessCallback, string? FailureCallback, string? StoppedCallback, int AbandonedCount, long? ResultTtlSeconds,
    int? RepeatsLeft)
{
    public static StartedJob Parse(RedisResult[] row)
    {
        string? Text(int i) => row[i].IsNull ? null : row[i].ToString() is { Length: > 0 } s ? s : null;
        return new StartedJob(
            Id: row[0].ToString(),
            Queue: row[1].ToString(),
            Data: (byte[])row[2]!,
            TimeoutSeconds: long.TryParse(Text(3), out var timeout) ? timeout : null,
            Description: Text(4),
            RetriesLeft: int.TryParse(Text(5), out var left) ? left : null,
            Meta: Text(6),
            SuccessCallback: Text(7),
            FailureCallback: Text(8),
            StoppedCallback: Text(9),
            AbandonedCount: int.TryParse(Text(10), out var abandons) ? abandons : 0,
            ResultTtlSeconds: long.TryParse(Text(11), out var resultTtl) ? resultTtl : null,
            RepeatsLeft: int.TryParse(Text(12), out var repeats) ? repeats : null);
    }
}
