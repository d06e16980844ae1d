using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace TaskQueue.Jobs;

/// <summary>The <c>data</c> field of a job hash, in RQ's JSONSerializer format.</summary>
/// <remarks>
/// <c>data</c> is the UTF-8 JSON array <c>[task_name, null, [args...], {kwargs...}]</c>, zlib-compressed when it is
/// larger than <see cref="CompressAbove"/> bytes. The second slot is RQ's bound instance, which JSON cannot carry,
/// so it is always null. RQ compresses every payload, but its reader falls back to the raw bytes when they are
/// not zlib, so small payloads are stored as they are: zlib only makes them bigger, and it is the costliest step
/// of an enqueue.
/// </remarks>
public static class JobData
{
    /// <summary>Payloads up to this many bytes are stored uncompressed.</summary>
    public const int CompressAbove = 512;

    /// <summary>Encodes a call; arguments are serialized with <paramref name="json"/>.</summary>
    public static byte[] Encode(string taskName, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, JsonSerializerOptions json) =>
        Pack(Serialize(taskName, args, kwargs, json).Span);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (byte[], string, int)> NoArgumentPayloads = new(StringComparer.Ordinal);

    /// <summary>The stored <c>data</c> of a call, as <see cref="Encode"/> makes it, its description, RQ's call
    /// string (<see cref="JobDescription"/>), and the length of its JSON before compression.</summary>
    /// <remarks>A call without arguments has the same payload and description every time: they are made once per task
    /// name (for up to 1,024 names) and shared, read-only, by every job that carries them.</remarks>
    internal static (byte[] Data, string Description, int JsonLength) Payload(string taskName, IReadOnlyList<object?> args,
        IReadOnlyDictionary<string, object?> kwargs, JsonSerializerOptions json)
    {
        var bare = args.Count == 0 && kwargs.Count == 0;
        if (bare && NoArgumentPayloads.TryGetValue(taskName, out var cached)) return cached;
        var call = Serialize(taskName, args, kwargs, json);
        var payload = (Pack(call.Span), JobDescription.Of(Parse(call)), call.Length);
        if (bare && NoArgumentPayloads.Count < 1024) NoArgumentPayloads.TryAdd(taskName, payload);
        return payload;
    }

    /// <summary>The stored form of a call's JSON: as is when small, zlib otherwise.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> json) => json.Length > CompressAbove ? Compress(json) : json.ToArray();

    /// <summary>The uncompressed JSON of a call.</summary>
    public static ReadOnlyMemory<byte> Serialize(string taskName, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs, JsonSerializerOptions json)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(taskName);
            writer.WriteNullValue();
            writer.WriteStartArray();
            foreach (var arg in args) JsonSerializer.Serialize(writer, arg, arg?.GetType() ?? typeof(object), json);
            writer.WriteEndArray();
            writer.WriteStartObject();
            foreach (var (name, value) in kwargs)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value, value?.GetType() ?? typeof(object), json);
            }
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>Decodes a <c>data</c> field of at most <paramref name="maxBytes"/>, compressed or inflated; throws
    /// <see cref="JobDataException"/> with a readable reason when it cannot.</summary>
    public static JobCall Decode(ReadOnlySpan<byte> data, int maxBytes = JobLimits.DefaultMaxDataBytes)
    {
        if (data.Length > maxBytes) throw new JobDataException($"the job's data is {data.Length} bytes, over the limit of {maxBytes}");
        return Parse(TryDecompress(data, maxBytes) ?? data.ToArray());
    }

    /// <summary>Parses the uncompressed JSON of a call.</summary>
    public static JobCall Parse(ReadOnlyMemory<byte> json)
    {
        if (json.Length > 0 && json.Span[0] == 0x80)
        {
            throw new JobDataException("the job's data is a Python pickle (RQ's default serializer); " +
                                       "enqueue it with serializer=rq.serializers.JSONSerializer");
        }
        // Checked here, not left to each string's conversion: text that is not UTF-8 failed later, in argument binding,
        // as a retryable worker error.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span)) throw new JobDataException("the job's data is not valid UTF-8");
        if (TryParseWithoutArguments(json.Span) is { } bare) return bare;
        try
        {
            // ParseValue gives a document of its own (not rented from the pool), so the elements stay valid after
            // this method returns without copying each one out (JsonElement.Clone per argument).
            var reader = new Utf8JsonReader(json.Span);
            var root = JsonElement.ParseValue(ref reader);
            if (reader.Read()) throw new JobDataException("the job's data has more after its JSON array");
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 4)
            {
                throw new JobDataException("the job's data is not the JSON array [task, instance, args, kwargs]");
            }
            var name = root[0].ValueKind == JsonValueKind.String ? root[0].GetString()! : throw new JobDataException("the task name in the job's data is not a string");
            if (root[1].ValueKind != JsonValueKind.Null)
            {
                throw new JobDataException($"job for '{name}' carries a bound instance, which only Python RQ can run");
            }
            var (rawArgs, rawKwargs) = (root[2], root[3]);
            if (rawArgs.ValueKind != JsonValueKind.Array || rawKwargs.ValueKind != JsonValueKind.Object)
            {
                throw new JobDataException($"job for '{name}' has malformed args/kwargs (expected a list and an object)");
            }
            var args = rawArgs.GetArrayLength() == 0 ? [] : rawArgs.EnumerateArray().ToArray();
            KeyValuePair<string, JsonElement>[] kwargs = rawKwargs.EnumerateObject().Any()
                ? rawKwargs.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)).ToArray()
                : [];
            return new JobCall(name, args, kwargs);
        }
        catch (JsonException e)
        {
            throw new JobDataException($"the job's data is not valid JSON ({e.Message})", e);
        }
    }

    /// <summary>A call without arguments (<c>["name", null, [], {}]</c>, any whitespace), read without building a
    /// JSON document; null for anything else, which the general path reads (and explains when it is malformed).</summary>
    private static JobCall? TryParseWithoutArguments(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) return null;
            var name = reader.GetString()!;
            return reader.Read() && reader.TokenType == JsonTokenType.Null
                   && reader.Read() && reader.TokenType == JsonTokenType.StartArray
                   && reader.Read() && reader.TokenType == JsonTokenType.EndArray
                   && reader.Read() && reader.TokenType == JsonTokenType.StartObject
                   && reader.Read() && reader.TokenType == JsonTokenType.EndObject
                   && reader.Read() && reader.TokenType == JsonTokenType.EndArray
                   && !reader.Read()
                ? new JobCall(name, [], [])
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>zlib-compresses bytes at zlib's default level, as RQ does.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream(bytes.Length + 16);
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) zlib.Write(bytes);
        return output.ToArray();
    }

    /// <summary>zlib-compressed UTF-8 text, as RQ stores <c>exc_info</c>.</summary>
    public static byte[] CompressText(string text) => Compress(Encoding.UTF8.GetBytes(text));

    /// <summary>Decompresses zlib bytes, or null when they are not zlib; throws <see cref="JobDataException"/> when they
    /// inflate to more than <paramref name="maxBytes"/> (a zlib bomb: 1 MB can inflate to 1 GB).</summary>
    public static byte[]? TryDecompress(ReadOnlySpan<byte> bytes, int maxBytes = JobLimits.DefaultMaxDataBytes)
    {
        // A zlib stream starts with CMF 0x78 (deflate, 32 KB window) and a header checksum.
        if (bytes.Length < 2 || bytes[0] != 0x78 || ((bytes[0] << 8) | bytes[1]) % 31 != 0) return null;
        try
        {
            using var input = new MemoryStream(bytes.ToArray());
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                int read;
                while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (output.Length + read > maxBytes) throw new JobDataException($"the job's data inflates to more than {maxBytes} bytes, the limit");
                    output.Write(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
            return output.ToArray();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Text that may be zlib-compressed (RQ's <c>exc_info</c>) or plain.</summary>
    public static string DecodeText(byte[] bytes)
    {
        try
        {
            return Encoding.UTF8.GetString(TryDecompress(bytes) ?? bytes);
        }
        catch (JobDataException e)
        {
            return $"({e.Message.Replace("the job's data", "this text", StringComparison.Ordinal)})";
        }
    }
}

/// <summary>A job's <c>data</c> field cannot be decoded.</summary>
public sealed class JobDataException(string message, Exception? inner = null) : Exception(message, inner);
