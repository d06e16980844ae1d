using System.IO.Compression;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>Jobs from the CLI and jobs written by hand as Python RQ writes them, run by a real <c>taskq worker</c>.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class LifecycleProcessTests(TestBroker broker)
{
    private static readonly TimeSpan ProcessDeadline = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 120_000)]
    public async Task BurstWorker_CliAndHandWrittenRqJobs_EachEndsFinishedOrFailedReadableByJobCommand()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var echo = await test.EnqueueAsync("taskq.echo", "--args", "[\"hi\"]");
        var fail = await test.EnqueueAsync("taskq.fail", "--args", "[\"boom\"]");
        await WriteRqJobAsync(test, "rq-echo", "taskq.echo('hi')", Zlib("[\"taskq.echo\", null, [\"hi\"], {}]"));
        // The very bytes Python RQ 1.13 wrote for q.enqueue(tasks.add, x=1, y=2) (shared/reference/rq/dump_json_before.trim.txt).
        await WriteRqJobAsync(test, "rq-kwargs", "tasks.add(x=1, y=2)",
            Convert.FromHexString("789c8b562a492cce2ed64b4c4951d251c82bcdc9d151888ed551a856aa50b25230d45150aa04d246b5b10007ab0ba5"));

        var worker = test.StartWorker("--burst");

        Assert.Equal(0, await worker.WaitForExitAsync(ProcessDeadline));
        var echoed = await JobJsonAsync(test, echo);
        Assert.Equal("finished", echoed.GetProperty("status").GetString());
        Assert.Equal("hi", echoed.GetProperty("result").GetString());
        var failed = await JobJsonAsync(test, fail);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("TaskFailedOnPurposeException: boom", failed.GetProperty("exc_info").GetString());
        var handWritten = await JobJsonAsync(test, "rq-echo");
        Assert.Equal("finished", handWritten.GetProperty("status").GetString());
        Assert.Equal("hi", handWritten.GetProperty("result").GetString());
        Assert.Equal(3, (await JobJsonAsync(test, "rq-kwargs")).GetProperty("result").GetInt32());

        // Lines as RQ's worker prints them: "14:02:01 default: taskq.echo('hi') (<id>)".
        Assert.Matches($@"(?m)^\d\d:\d\d:\d\d default: taskq\.echo\('hi'\) \({echo}\)$", worker.Output);
        Assert.Matches($@"(?m)^\d\d:\d\d:\d\d default: Job OK \({echo}\)$", worker.Output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d Result is kept for 500 seconds$", worker.Output);
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d default: tasks\.add\(x=1, y=2\) \(rq-kwargs\)$", worker.Output);
        Assert.Matches($@"(?m)^\d\d:\d\d:\d\d ERROR default: Job failed \({fail}\)", worker.Output);
    }

    /// <summary>Writes a queued job the way RQ 1.13's JSON serializer leaves it (every field, empty strings for
    /// unset times), and pushes it where RQ pushes: the right of the queue list, the queue key in the queues set.</summary>
    /// <remarks>Under the test's key prefix rather than <c>rq:</c>, so tests sharing a real Redis stay apart; the
    /// layout below the prefix is RQ's.</remarks>
    private static async Task WriteRqJobAsync(ProcessTest test, string id, string description, byte[] data)
    {
        var now = RqTime.ToIso(DateTimeOffset.UtcNow);
        var db = test.Queue.Database;
        await db.HashSetAsync(test.Queue.Keys.Job(id),
        [
            new("created_at", now), new("data", data), new("description", description), new("ended_at", ""),
            new("enqueued_at", now), new("failure_callback_name", ""), new("last_heartbeat", ""), new("origin", "default"),
            new("started_at", ""), new("status", "queued"), new("success_callback_name", ""), new("timeout", 180), new("worker_name", ""),
        ]);
        await db.ListRightPushAsync(test.Queue.Keys.Queue("default"), id);
        await db.SetAddAsync(test.Queue.Keys.Queues, test.Queue.Keys.Queue("default"));
    }

    private static byte[] Zlib(string json)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal)) zlib.Write(Encoding.UTF8.GetBytes(json));
        return output.ToArray();
    }

    private static async Task<JsonElement> JobJsonAsync(ProcessTest test, string id)
    {
        var result = await test.Cli.RunAsync("job", id, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.Clone();
    }
}
