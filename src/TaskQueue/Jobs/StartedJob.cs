using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>A job the Dequeue step just started for this worker, with the fields needed to run it.</summary>
/// <remarks>The field order is Dequeue.lua's JOB_FIELDS.</remarks>
internal sealed record StartedJob(
    string Id, string Queue, byte[] Data, long? TimeoutSeconds, string? Description, string? Meta,
    string? SuccessCallback, string? FailureCallback, string? StoppedCallback, int AbandonedCount, long? ResultTtlSeconds)
{
    /// <summary>Values per job in Dequeue's flat reply: id, queue, then JOB_FIELDS up to result_ttl.</summary>
    public const int RowLength = 11;

    /// <summary>The jobs of Dequeue's flat reply, <see cref="RowLength"/> values each.</summary>
    public static StartedJob[] ParseRows(RedisResult[] flat)
    {
        var jobs = new StartedJob[flat.Length / RowLength];
        for (var i = 0; i < jobs.Length; i++) jobs[i] = Parse(flat, i * RowLength);
        return jobs;
    }

    private static StartedJob Parse(RedisResult[] row, int at)
    {
        string? Text(int i) => row[at + i].IsNull ? null : row[at + i].ToString() is { Length: > 0 } s ? s : null;
        return new StartedJob(
            Id: row[at].ToString(),
            Queue: row[at + 1].ToString(),
            Data: (byte[])row[at + 2]!,
            TimeoutSeconds: long.TryParse(Text(3), out var timeout) ? timeout : null,
            Description: Text(4),
            Meta: Text(5),
            SuccessCallback: Text(6),
            FailureCallback: Text(7),
            StoppedCallback: Text(8),
            AbandonedCount: int.TryParse(Text(9), out var abandons) ? abandons : 0,
            ResultTtlSeconds: long.TryParse(Text(10), out var resultTtl) ? resultTtl : null);
    }
}
