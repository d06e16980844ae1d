using System.Text.Json;
using BenchmarkDotNet.Attributes;
using TaskQueue.Jobs;

namespace TaskQueue.Micro;

/// <summary>The job's <c>data</c> field: zlib of the JSON call <c>[task, null, args, kwargs]</c>, both ways.</summary>
/// <remarks>Every enqueue encodes once and every dequeue decodes once, so these bound the client-side cost per job.</remarks>
[MemoryDiagnoser]
[ShortRunJob]
public class JobDataBenchmarks
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);
    private static readonly IReadOnlyList<object?> NoArgs = [];
    private static readonly IReadOnlyDictionary<string, object?> NoKwargs = new Dictionary<string, object?>();
    private static readonly IReadOnlyDictionary<string, object?> EmailKwargs = new Dictionary<string, object?>
    {
        ["email"] = "pam@dundermifflin.com",
        ["message"] = "Your password reset token is 3f9c2a1e-7b4d-4c8e-9a6f-1d2e3f4a5b6c; it expires in 10 minutes.",
    };

    private byte[] noopData = [];
    private byte[] emailData = [];

    [GlobalSetup]
    public void Setup()
    {
        noopData = JobData.Encode("bench.noop", NoArgs, NoKwargs, Json);
        emailData = JobData.Encode("dundie.tasks.user.send_email", NoArgs, EmailKwargs, Json);
    }

    [Benchmark]
    public byte[] EncodeNoop() => JobData.Encode("bench.noop", NoArgs, NoKwargs, Json);

    [Benchmark]
    public byte[] EncodeEmail() => JobData.Encode("dundie.tasks.user.send_email", NoArgs, EmailKwargs, Json);

    [Benchmark]
    public ReadOnlyMemory<byte> SerializeEmailWithoutZlib() => JobData.Serialize("dundie.tasks.user.send_email", NoArgs, EmailKwargs, Json);

    [Benchmark]
    public JobCall DecodeNoop() => JobData.Decode(noopData);

    [Benchmark]
    public JobCall DecodeEmail() => JobData.Decode(emailData);
}
