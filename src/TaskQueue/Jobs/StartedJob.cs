using StackExchange.Redis;

namespace TaskQueue.Jobs;

/// <summary>A job the Dequeue step just started for this worker, with the fields needed to run it.</summary>
/// <remarks>The extra fields come in the order of their slots in Dequeue.lua's FIELDS.</remarks>
internal sealed record StartedJob(
    string Id, string Queue, byte[] Data, long? TimeoutSeconds, string? Meta,
    string? SuccessCallback, string? FailureCallback, string? StoppedCallback, int AbandonedCount, long? ResultTtlSeconds,
    int? RepeatsLeft)
{
    /// <summary>The jobs of Dequeue's reply: per queue, its name, the job count, then id, data and extras per job.</summary>
    public static StartedJob[] ParseGroups(RedisResult[] flat)
    {
        var count = 0;
        for (var i = 0; i < flat.Length; i += 2 + 3 * (int)(long)flat[i + 1]) count += (int)(long)flat[i + 1];
        var jobs = new StartedJob[count];
        var k = 0;
        for (var i = 0; i < flat.Length;)
        {
            var queue = flat[i].ToString();
            var n = (int)(long)flat[i + 1];
            i += 2;
            for (var j = 0; j < n; j++, i += 3) jobs[k++] = Parse(flat[i].ToString(), queue, (byte[])flat[i + 1]!, flat[i + 2]);
        }
        return jobs;
    }

    private static StartedJob Parse(string id, string queue, byte[] data, RedisResult extras)
    {
        if (extras.IsNull) return new StartedJob(id, queue, data, null, null, null, null, null, 0, null, null);
        var e = (RedisResult[])extras!;
        string? Text(int i) => e[i].IsNull ? null : e[i].ToString() is { Length: > 0 } s ? s : null;
        return new StartedJob(id, queue, data,
            TimeoutSeconds: long.TryParse(Text(0), out var timeout) ? timeout : null,
            Meta: Text(1),
            SuccessCallback: Text(2),
            FailureCallback: Text(3),
            StoppedCallback: Text(4),
            AbandonedCount: int.TryParse(Text(5), out var abandons) ? abandons : 0,
            ResultTtlSeconds: long.TryParse(Text(6), out var resultTtl) ? resultTtl : null,
            RepeatsLeft: int.TryParse(Text(7), out var repeats) ? repeats : null);
    }
}
