using System.Text.Json;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Hosting;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class JobCommandTests(TestBroker broker)
{
    [Fact]
    public async Task Job_FinishedJob_ShowsStatusTimesDescriptionAndResult()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var id = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[\"hi\"]")).Line;
        await q.RunBurstAsync();

        var result = await cli.RunAsync("job", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"id           {id}", result.Out);
        Assert.Contains("status       finished", result.Out);
        Assert.Contains("description  taskq.echo('hi')", result.Out);
        Assert.Contains("ended at     20", result.Out);
        Assert.Contains("result       \"hi\"", result.Out);
    }

    [Fact]
    public async Task Job_JsonOfFailedJob_StableFieldsWithExcInfo()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var id = (await cli.RunAsync("enqueue", "taskq.fail", "--args", "[\"boom\"]", "--retry", "1")).Line;
        await q.RunBurstAsync();

        var result = await cli.RunAsync("job", id, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var job = json.RootElement;
        string[] contract =
        [
            "id", "status", "origin", "description", "task", "data_error", "created_at", "enqueued_at", "started_at", "ended_at",
            "last_heartbeat", "worker_name", "timeout", "result_ttl", "failure_ttl", "ttl", "retries_left", "abandoned_count",
            "depends_on", "meta", "result", "exc_info",
        ];
        Assert.Equal(contract, job.EnumerateObject().Select(p => p.Name));
        Assert.Equal(id, job.GetProperty("id").GetString());
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("taskq.fail", job.GetProperty("task").GetString());
        Assert.Equal("taskq.fail('boom')", job.GetProperty("description").GetString());
        Assert.Equal(0, job.GetProperty("retries_left").GetInt32());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("result").ValueKind);
        Assert.Contains("boom", job.GetProperty("exc_info").GetString());
    }

    [Fact]
    public async Task Job_MetaSavedByTheRunningTask_ShownWhileItRunsAndAfter()
    {
        await using var q = await TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(TestTasks.InteropTasks).Assembly));
        var cli = new CliRunner(broker, q.Prefix);
        var gate = Path.Combine(Path.GetTempPath(), $"taskq-gate-{Guid.NewGuid():N}");
        var id = (await cli.RunAsync("enqueue", "interop_tasks.progress", "--args", JsonSerializer.Serialize(new[] { gate }))).Line;
        var worker = q.Worker();
        var run = worker.RunAsync();
        try
        {
            var running = await Eventually.ReturnsAsync(() => cli.RunAsync("job", id), r => r.Out.Contains("status       started") && r.Out.Contains("meta"),
                "taskq job to show the running job's meta");
            Assert.Contains("meta         {\"step\":1}", running.Out);

            await File.WriteAllTextAsync(gate, "go", TestContext.Current.CancellationToken);
            var done = await Eventually.ReturnsAsync(() => cli.RunAsync("job", id, "--json"), r => r.Out.Contains("\"finished\""), "the job to finish");
            using var json = JsonDocument.Parse(done.Out);
            Assert.Equal("""{"step":2,"note":"almost done"}""", JsonSerializer.Serialize(json.RootElement.GetProperty("meta")));
        }
        finally
        {
            worker.RequestStop();
            await run.WaitAsync(TimeSpan.FromSeconds(30));
            File.Delete(gate);
        }
    }

    [Fact]
    public async Task Job_UnknownId_OneLineExit1()
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var result = await new CliRunner(broker, q.Prefix).RunAsync("job", "no-such-job");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("taskq: no job with id 'no-such-job' (it never existed, or its TTL expired).", result.Error.TrimEnd());
    }
}
