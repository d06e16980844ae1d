using System.IO.Compression;
using System.Text;
using StackExchange.Redis;
using TaskQueue.Storage;

namespace TaskQueue.Faults.Tests.Poison;

/// <summary>How a poison job may end and still hurt no one.</summary>
public enum Expect
{
    /// <summary><c>failed</c>, in its queue's failed registry, with a reason in <c>exc_info</c>.</summary>
    Fail,

    /// <summary>Runnable after all (an odd but valid job): <c>finished</c> in the finished registry, or failed as above.</summary>
    FinishOrFail,

    /// <summary>Not a job hash at all: taken off the queue, in no registry, and the worker's log says so.</summary>
    Skip,
}

/// <summary>One malformed job: what is wrong with it, its id, how it may end, and how to write it.</summary>
public sealed record PoisonJob(int Case, string Kind, string Variant, string Id, Expect Expect, Func<IDatabase, RedisKeys, Task> WriteAsync)
{
    /// <summary>Whether its numbers could break the worker's timers: a timeout probe follows the first of each.</summary>
    public bool TouchesTimers => Kind == PoisonJobs.OutOfRange;

    public override string ToString() => $"#{Case} {Kind}: {Variant} (id '{Id}')";
}

/// <summary>The generator: every kind of bad input issue 12 names, as job hashes a producer, a script or a person with
/// redis-cli could leave, each variant randomised from a fixed seed so a run can be repeated exactly.</summary>
public static class PoisonJobs
{
    public const int Seed = 12;
    public const string OutOfRange = "out-of-range numbers";

    private const string Failing = """["taskq.fail", null, ["poison"], {}]""";
    private const string Runnable = """["faults.length", null, ["poison"], {}]""";

    private delegate Shape Make(Random random);

    /// <summary>A 1 MB zlib stream that inflates to 1 GB (a JSON call whose one argument is a billion 'A's), made once.</summary>
    public static readonly Lazy<byte[]> ZlibBomb = new(() =>
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write("[\"faults.length\", null, [\""u8);
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'A');
            for (var i = 0; i < 1024; i++) zlib.Write(chunk);
            zlib.Write("\"], {}]"u8);
        }
        return output.ToArray();
    });

    private static readonly (string Kind, string Variant, Expect Expect, Make Make)[] Variants =
    [
        ("corrupt zlib", "zlib header, then random bytes", Expect.Fail, r => Data([0x78, 0x9c, .. Bytes(r, 10 + r.Next(200))])),
        ("corrupt zlib", "zlib stream cut short", Expect.Fail, r => { var z = Zlib(Padded(Runnable)); return Data(z[..(2 + r.Next(z.Length - 6))]); }),
        ("corrupt zlib", "zlib of broken JSON", Expect.Fail, r => Data(Zlib(Encoding.UTF8.GetBytes("[\"faults.length\", null, [\"" + new string('x', 600))))),
        ("corrupt JSON", "cut short", Expect.Fail, r => Data(Runnable[..(1 + r.Next(Runnable.Length - 2))])),
        ("corrupt JSON", "trailing garbage after the array", Expect.Fail, r => Data(Runnable + " trailing-garbage" + r.Next())),
        ("corrupt JSON", "leading garbage", Expect.Fail, r => Data("x" + Runnable)),
        ("corrupt JSON", "empty data", Expect.Fail, _ => Data("")),
        ("corrupt JSON", "a NUL byte inside", Expect.Fail, r => Data(Runnable.Insert(1 + r.Next(Runnable.Length - 2), "\0"))),
        ("wrong arity", "[task]", Expect.Fail, _ => Data("""["faults.length"]""")),
        ("wrong arity", "[task, null]", Expect.Fail, _ => Data("""["faults.length", null]""")),
        ("wrong arity", "[task, null, args] without kwargs", Expect.Fail, _ => Data("""["faults.length", null, ["x"]]""")),
        ("wrong arity", "five elements", Expect.Fail, _ => Data("""["faults.length", null, ["x"], {}, 1]""")),
        ("wrong arity", "an empty array", Expect.Fail, _ => Data("[]")),
        ("wrong arity", "an object", Expect.Fail, _ => Data("""{"func": "faults.length"}""")),
        ("wrong arity", "a string", Expect.Fail, _ => Data("\"faults.length\"")),
        ("wrong arity", "a number", Expect.Fail, r => Data(r.Next().ToString())),
        ("wrong arity", "null", Expect.Fail, _ => Data("null")),
        ("wrong types", "task name a number", Expect.Fail, r => Data($"[{r.Next()}, null, [], {{}}]")),
        ("wrong types", "args an object", Expect.Fail, _ => Data("""["faults.length", null, {"value": "x"}, {}]""")),
        ("wrong types", "kwargs a list", Expect.Fail, _ => Data("""["faults.length", null, [], ["x"]]""")),
        ("wrong types", "a bound instance", Expect.Fail, _ => Data("""["faults.length", {"self": 1}, ["x"], {}]""")),
        ("wrong types", "argument of the wrong type", Expect.Fail, _ => Data("""["faults.length", null, [{"not": "a string"}], {}]""")),
        ("wrong types", "empty task name", Expect.Fail, _ => Data("""["", null, [], {}]""")),
        ("wrong types", "unknown task", Expect.Fail, r => Data($"[\"no.such.task{r.Next()}\", null, [], {{}}]")),
        ("5 MB arguments", "a 5 MB string argument", Expect.FinishOrFail, r => Data($"[\"faults.length\", null, [\"{Letters(r, 5 << 20)}\"], {{}}]")),
        ("5 MB arguments", "a 5 MB string argument, zlib", Expect.FinishOrFail,
            r => Data(Zlib(Encoding.UTF8.GetBytes($"[\"faults.length\", null, [\"{Letters(r, 5 << 20)}\"], {{}}]")))),
        ("zlib bomb", "1 MB of zlib inflating to 1 GB", Expect.Fail, _ => Data(ZlibBomb.Value)),
        ("missing fields", "no data", Expect.Fail, _ => Job(Runnable).Without("data")),
        ("missing fields", "no status", Expect.FinishOrFail, _ => Job(Runnable).Without("status")),
        ("missing fields", "no origin", Expect.FinishOrFail, _ => Job(Runnable).Without("origin")),
        ("missing fields", "no description", Expect.FinishOrFail, _ => Job(Runnable).Without("description")),
        ("missing fields", "no timeout", Expect.FinishOrFail, _ => Job(Runnable).Without("timeout")),
        ("missing fields", "no created_at or enqueued_at", Expect.FinishOrFail, _ => Job(Runnable).Without("created_at", "enqueued_at")),
        ("missing fields", "data alone", Expect.FinishOrFail, _ => Job(Runnable).Without("status", "origin", "description", "timeout", "created_at", "enqueued_at")),
        ("wrong key types", "SET rq:job:X s (a string)", Expect.Skip, _ => new Shape(KeyType: "string")),
        ("wrong key types", "a list", Expect.Skip, _ => new Shape(KeyType: "list")),
        ("wrong key types", "a zset", Expect.Skip, _ => new Shape(KeyType: "zset")),
        ("wrong key types", "a set", Expect.Skip, _ => new Shape(KeyType: "set")),
        ("wrong key types", "a stream", Expect.Skip, _ => new Shape(KeyType: "stream")),
        (OutOfRange, "timeout 900000000000", Expect.FinishOrFail, _ => Job(Runnable).With("timeout", "900000000000")),
        (OutOfRange, "timeout -5", Expect.FinishOrFail, _ => Job(Runnable).With("timeout", "-5")),
        (OutOfRange, "timeout abc", Expect.FinishOrFail, _ => Job(Runnable).With("timeout", "abc")),
        (OutOfRange, "timeout inf", Expect.FinishOrFail, _ => Job(Runnable).With("timeout", "inf")),
        (OutOfRange, "timeout 1e300", Expect.FinishOrFail, _ => Job(Runnable).With("timeout", "1e300")),
        (OutOfRange, "result_ttl \"1.5\"", Expect.FinishOrFail, _ => Job(Runnable).With("result_ttl", "1.5")),
        (OutOfRange, "result_ttl abc", Expect.FinishOrFail, _ => Job(Runnable).With("result_ttl", "abc")),
        (OutOfRange, "result_ttl 99999999999999999999", Expect.FinishOrFail, _ => Job(Runnable).With("result_ttl", "99999999999999999999")),
        (OutOfRange, "failure_ttl \"1.5\" on a failing job", Expect.Fail, _ => Job(Failing).With("failure_ttl", "1.5")),
        (OutOfRange, "failure_ttl abc on a failing job", Expect.Fail, _ => Job(Failing).With("failure_ttl", "abc")),
        (OutOfRange, "retries_left \"inf\" on a failing job", Expect.Fail, _ => Job(Failing).With("retries_left", "inf")),
        (OutOfRange, "retries_left -3 on a failing job", Expect.Fail, _ => Job(Failing).With("retries_left", "-3")),
        (OutOfRange, "retries_left 1, retry_intervals=garbage on a failing job", Expect.Fail,
            _ => Job(Failing).With("retries_left", "1").With("retry_intervals", "garbage")),
        (OutOfRange, "retries_left 1, retry_intervals [-1] on a failing job", Expect.Fail,
            _ => Job(Failing).With("retries_left", "1").With("retry_intervals", "[-1]")),
        (OutOfRange, "ttl abc", Expect.FinishOrFail, _ => Job(Runnable).With("ttl", "abc")),
        (OutOfRange, "abandoned_count abc", Expect.FinishOrFail, _ => Job(Runnable).With("abandoned_count", "abc")),
        (OutOfRange, "meta not JSON", Expect.FinishOrFail, _ => Job(Runnable).With("meta", "{not json")),
        (OutOfRange, "repeats_left abc", Expect.FinishOrFail, _ => Job(Runnable).With("repeats_left", "abc")),
        ("non-UTF-8", "invalid UTF-8 in a string argument", Expect.Fail, r => Data(Join("[\"faults.length\", null, [\"", Bytes(r, 4, 0x80), "\"], {}]"))),
        ("non-UTF-8", "invalid UTF-8 in the task name", Expect.Fail, r => Data(Join("[\"", Bytes(r, 4, 0x80), "\", null, [], {}]"))),
        ("non-UTF-8", "invalid UTF-8 in description", Expect.FinishOrFail, r => Job(Runnable).With("description", Bytes(r, 8, 0x80))),
        ("non-UTF-8", "invalid UTF-8 in meta", Expect.FinishOrFail, r => Job(Runnable).With("meta", Join("{\"k\": \"", Bytes(r, 4, 0x80), "\"}"))),
        ("odd ids", "an id with spaces", Expect.FinishOrFail, _ => Job(Runnable) with { Id = "poison {0} with spaces" }),
        ("odd ids", "an id with colons", Expect.FinishOrFail, _ => Job(Runnable) with { Id = "poison:{0}:dependents" }),
        ("odd ids", "a unicode id", Expect.FinishOrFail, _ => Job(Runnable) with { Id = "poison-{0}-ünïcødé-✓-日本" }),
        ("odd ids", "a 1,000-character id", Expect.FinishOrFail, _ => Job(Runnable) with { Id = "poison-{0}-" + new string('i', 990) }),
        ("queue entries without a hash", "an id with no key", Expect.Skip, _ => new Shape(KeyType: "none")),
    ];

    /// <summary>How many distinct variants there are.</summary>
    public static int VariantCount => Variants.Length;

    /// <summary><paramref name="count"/> poisons, the variants taken in turn, each randomised from <see cref="Seed"/>.</summary>
    public static IReadOnlyList<PoisonJob> Generate(int count)
    {
        var random = new Random(Seed);
        var jobs = new List<PoisonJob>(count);
        for (var i = 0; i < count; i++)
        {
            var (kind, variant, expect, make) = Variants[i % Variants.Length];
            var shape = make(random);
            var id = string.Format(shape.Id ?? "poison-{0}", i.ToString("0000"));
            jobs.Add(new PoisonJob(i, kind, variant, id, expect, (db, keys) => shape.WriteAsync(db, keys.Job(id))));
        }
        return jobs;
    }

    /// <summary>Writes a valid <c>faults.record</c> job hash as RQ writes one (not queued: the test pushes its id).</summary>
    public static Task WriteValidAsync(IDatabase db, RedisKeys keys, string id) =>
        Data("""["faults.record", null, [], {}]""").WriteAsync(db, keys.Job(id));

    /// <summary>What to leave at the job's key: a job hash (RQ's fields, some changed), or a key of another type, or nothing.</summary>
    private sealed record Shape(IReadOnlyDictionary<string, RedisValue>? Fields = null, string KeyType = "hash", string? Id = null)
    {
        public Shape With(string field, RedisValue value) =>
            this with { Fields = new Dictionary<string, RedisValue>(Fields!) { [field] = value } };

        public Shape Without(params string[] fields) =>
            this with { Fields = Fields!.Where(f => !fields.Contains(f.Key)).ToDictionary() };

        public async Task WriteAsync(IDatabase db, string key)
        {
            switch (KeyType)
            {
                case "hash":
                    await db.HashSetAsync(key, Fields!.Select(f => new HashEntry(f.Key, f.Value)).ToArray());
                    break;
                case "string":
                    await db.StringSetAsync(key, "s");
                    break;
                case "list":
                    await db.ListRightPushAsync(key, "x");
                    break;
                case "zset":
                    await db.SortedSetAddAsync(key, "x", 1);
                    break;
                case "set":
                    await db.SetAddAsync(key, "x");
                    break;
                case "stream":
                    await db.StreamAddAsync(key, "field", "value");
                    break;
                case "none":
                    break;
                default:
                    throw new InvalidOperationException(KeyType);
            }
        }
    }

    /// <summary>A job hash as RQ 1.13 writes one, queued on <c>default</c>, with this data.</summary>
    private static Shape Job(string data) => Data(data);

    private static Shape Data(string data) => Data(Encoding.UTF8.GetBytes(data));

    private static Shape Data(byte[] data)
    {
        var now = RqTime.ToIso(DateTimeOffset.UtcNow);
        return new Shape(new Dictionary<string, RedisValue>
        {
            ["status"] = "queued", ["origin"] = "default", ["data"] = data, ["description"] = "poison",
            ["created_at"] = now, ["enqueued_at"] = now, ["timeout"] = "180",
        });
    }

    /// <summary>Over the 512 bytes from which TaskQueue itself compresses.</summary>
    private static byte[] Padded(string call) => Encoding.UTF8.GetBytes(call.Replace("\"poison\"", "\"" + new string('p', 700) + "\""));

    private static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest)) zlib.Write(data);
        return output.ToArray();
    }

    private static byte[] Bytes(Random random, int count, int min = 0)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++) bytes[i] = (byte)random.Next(min, 256);
        // 0xC0, 0xC1 and 0xF5-0xFF never occur in UTF-8: one of them makes sure the bytes are not valid by chance.
        if (min >= 0x80) bytes[0] = 0xFF;
        return bytes;
    }

    private static string Letters(Random random, int count) => string.Create(count, random, static (span, r) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = (char)('a' + r.Next(26));
    });

    private static byte[] Join(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];
}
