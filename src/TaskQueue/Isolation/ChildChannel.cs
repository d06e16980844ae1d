using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using TaskQueue.Jobs;
using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>The connection between a worker and one child process: JSON messages, one per line, over a Unix domain
/// socket.</summary>
/// <remarks>
/// Not the child's stdin/stdout: a host's console logging and any task that prints would write into them. The worker
/// sends <c>{"run": job, "worker": name}</c> (the job as Dequeue started it, its <c>data</c> undecoded: the child
/// decodes it itself) and <c>{"cancel": "timeout", "job": id}</c>; the child sends <c>{"pid": n, "token": t}</c> once it is
/// ready, then <c>{"done": outcome}</c> per job. A line that does not parse, or one longer than the limit, is a broken
/// child: the worker fails its job and replaces it, so a child that writes garbage fails only its own job.
/// </remarks>
internal sealed class ChildChannel(Stream stream, int maxLineBytes) : IAsyncDisposable
{
    private readonly SemaphoreSlim writing = new(1, 1);
    private byte[] buffer = new byte[4096];
    private int start, end;

    public async Task SendAsync(ChildMessage message, CancellationToken cancellationToken = default)
    {
        // One write per message, newline included: one system call, one wake-up on the other side.
        var line = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(line)) JsonSerializer.Serialize(json, message, ChildJson.Default.ChildMessage);
        line.Write("\n"u8);
        await writing.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(line.WrittenMemory, cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>The next message; null when the other side closed the connection (it exited, or died).</summary>
    /// <exception cref="ChildProtocolException">The line is not a message, or is too long.</exception>
    public async Task<ChildMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = buffer.AsSpan(start, newline);
                start += newline + 1;
                return Parse(line);
            }
            if (end - start >= maxLineBytes) throw new ChildProtocolException($"a message longer than {maxLineBytes} bytes");
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxLineBytes + 1));
            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            if (read == 0)
            {
                if (end > start) throw new ChildProtocolException("an unfinished message before the connection closed");
                return null;
            }
            end += read;
        }
    }

    private static ChildMessage Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ChildJson.Default.ChildMessage)
                   ?? throw new ChildProtocolException("a null message");
        }
        catch (JsonException e)
        {
            var shown = System.Text.Encoding.UTF8.GetString(line[..Math.Min(line.Length, 60)]);
            throw new ChildProtocolException($"an unreadable message ('{shown}'): {e.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        writing.Dispose();
    }
}

/// <summary>One message between a worker and its child; each carries one of its fields.</summary>
internal sealed record ChildMessage
{
    /// <summary>Child, once connected: its process id.</summary>
    [JsonPropertyName("pid")] public int? Pid { get; init; }

    /// <summary>Child, once connected: the token the worker gave it, proving it is the process the worker started.</summary>
    [JsonPropertyName("token")] public string? Token { get; init; }

    /// <summary>Worker: run this job.</summary>
    [JsonPropertyName("run")] public StartedJob? Run { get; init; }

    /// <summary>Worker, with <see cref="Run"/>: the worker's name, for the job's context.</summary>
    [JsonPropertyName("worker")] public string? Worker { get; init; }

    /// <summary>Worker: the running job's token fired, for this reason.</summary>
    [JsonPropertyName("cancel")] public CancelReason? Cancel { get; init; }

    /// <summary>Worker, with <see cref="Cancel"/>: the job meant, so that a late cancellation never reaches the next one.</summary>
    [JsonPropertyName("job")] public string? JobId { get; init; }

    /// <summary>Child: the job ended so.</summary>
    [JsonPropertyName("done")] public ChildOutcome? Done { get; init; }
}

/// <summary>A job's outcome as a child reports it: <see cref="JobOutcome"/> flattened, or nothing to record.</summary>
internal sealed record ChildOutcome(bool Record, bool Succeeded, byte[]? Result, long? ResultTtlSeconds, string? ExcInfo, bool Stopped, bool MayRetry)
{
    public static ChildOutcome Of(JobOutcome? outcome) => outcome switch
    {
        JobSucceeded ok => new(true, true, ok.ResultJson, ok.ResultTtlSeconds, null, false, false),
        JobFailed failed => new(true, false, null, null, failed.ExcInfo, failed.Stopped, failed.MayRetry),
        _ => new(false, false, null, null, null, false, false),
    };

    public JobOutcome? ToOutcome(StartedJob job) => !Record ? null
        : Succeeded ? new JobSucceeded(job.Id, job.Queue, Result, ResultTtlSeconds)
        : new JobFailed(job.Id, job.Queue, ExcInfo ?? "ChildProcessError: the child reported a failure without a reason", Stopped, MayRetry);
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChildMessage))]
internal sealed partial class ChildJson : JsonSerializerContext;

/// <summary>A child process broke the protocol: its job fails with this reason, and it is replaced.</summary>
internal sealed class ChildProtocolException(string message) : Exception($"the child process sent {message}");
