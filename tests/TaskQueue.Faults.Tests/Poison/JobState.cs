using System.IO.Compression;
using System.Text;
using StackExchange.Redis;
using TaskQueue.Faults.Tests.Support;
using TaskQueue.Storage;

namespace TaskQueue.Faults.Tests.Poison;

/// <summary>Where one job stands, read from Redis in one round trip: its key's type, status, <c>exc_info</c>, TTL, and
/// which queue or registry holds its id.</summary>
public sealed record JobState(string Id, string KeyType, string? Status, string? ExcInfo, TimeSpan? Ttl, bool Queued, bool Started, bool Finished, bool Failed,
    bool Scheduled)
{
    /// <summary>Reads the state of every id, pipelined.</summary>
    public static async Task<IReadOnlyList<JobState>> ReadAsync(FaultQueue queue, IEnumerable<string> ids)
    {
        var db = queue.Database;
        var keys = queue.Keys;
        var queued = (await db.ListRangeAsync(keys.Queue(FaultQueue.Queue))).Select(v => v.ToString()).ToHashSet();
        var batch = db.CreateBatch();
        var reads = ids.Select(id => (
            Id: id,
            Type: batch.KeyTypeAsync(keys.Job(id)),
            Started: batch.SortedSetScoreAsync(keys.Registry(Registry.Started, FaultQueue.Queue), id),
            Finished: batch.SortedSetScoreAsync(keys.Registry(Registry.Finished, FaultQueue.Queue), id),
            Failed: batch.SortedSetScoreAsync(keys.Registry(Registry.Failed, FaultQueue.Queue), id),
            Scheduled: batch.SortedSetScoreAsync(keys.Registry(Registry.Scheduled, FaultQueue.Queue), id),
            Ttl: batch.KeyTimeToLiveAsync(keys.Job(id)))).ToList();
        batch.Execute();
        var states = new List<JobState>();
        foreach (var read in reads)
        {
            var type = await read.Type;
            RedisValue[] fields = type == RedisType.Hash ? await db.HashGetAsync(keys.Job(read.Id), ["status", "exc_info"]) : [RedisValue.Null, RedisValue.Null];
            states.Add(new JobState(read.Id, type.ToString().ToLowerInvariant(), fields[0].IsNull ? null : fields[0].ToString(),
                fields[1].IsNull ? null : DecodeExcInfo((byte[])fields[1]!), await read.Ttl, queued.Contains(read.Id), (await read.Started).HasValue,
                (await read.Finished).HasValue, (await read.Failed).HasValue, (await read.Scheduled).HasValue));
        }
        return states;
    }

    /// <summary>Finished, in the finished registry, and kept for a while, not forever.</summary>
    public bool FinishedProperly => Status == "finished" && Finished && !Queued && !Started && Ttl is not null;

    /// <summary>Failed, in the failed registry, with a reason.</summary>
    public bool FailedProperly => Status == "failed" && Failed && !Queued && !Started && !string.IsNullOrWhiteSpace(ExcInfo);

    /// <summary>Whether a poison ended as <paramref name="expect"/> allows (the log, for <see cref="Expect.Skip"/>, is checked apart).</summary>
    public bool EndedAs(Expect expect) => expect switch
    {
        Expect.Fail => FailedProperly,
        Expect.FinishOrFail => FailedProperly || FinishedProperly,
        Expect.Skip => !Queued && !Started && !Finished && !Failed,
        _ => false,
    };

    /// <summary>For messages: "status started, in no registry, no TTL".</summary>
    public override string ToString()
    {
        var places = new[] { (Queued, "queued"), (Started, "started"), (Finished, "finished"), (Failed, "failed"), (Scheduled, "scheduled") }
            .Where(p => p.Item1).Select(p => p.Item2).ToList();
        var reason = ExcInfo is null ? "" : $", exc_info \"{Shorten(ExcInfo)}\"";
        return $"{Id}: {(KeyType == "hash" ? $"status {Status ?? "(none)"}" : $"key is {KeyType}")}, " +
               $"{(places.Count == 0 ? "in no queue or registry" : "in " + string.Join(" + ", places))}" +
               $"{(KeyType == "hash" && Ttl is null ? ", no TTL" : "")}{reason}";
    }

    /// <summary><c>exc_info</c> as RQ reads it: zlib-compressed UTF-8, or plain text.</summary>
    private static string DecodeExcInfo(byte[] raw)
    {
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var text = new StreamReader(zlib, Encoding.UTF8);
            return text.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return Encoding.UTF8.GetString(raw);
        }
    }

    private static string Shorten(string text)
    {
        var line = text.Split('\n')[0];
        return line.Length <= 160 ? line : line[..160] + "...";
    }
}
