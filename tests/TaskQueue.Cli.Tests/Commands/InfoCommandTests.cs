using System.Text.Json;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Monitoring;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class InfoCommandTests(TestBroker broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Info_Json_CountsPerRegistryAndLiveWorkers()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]");
        await cli.RunAsync("enqueue", "taskq.fail", "--args", "[\"x\"]");
        await q.RunBurstAsync();
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[2]", "--queue", "low");
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[3]", "--in", "1h");
        var worker = q.Worker(o => o.Queues = ["idle"]);
        using var stop = new CancellationTokenSource();
        var running = worker.RunAsync(stop.Token);
        try
        {
            var monitor = (QueueMonitor)q.Services.GetService(typeof(QueueMonitor))!;
            await Eventually.HoldsAsync(async () => (await monitor.GetWorkersAsync(Ct)).Count == 1, "the worker to register");

            var result = await cli.RunAsync("info", "--json");

            Assert.Equal(0, result.ExitCode);
            using var json = JsonDocument.Parse(result.Out);
            Assert.False(json.RootElement.GetProperty("suspended").GetBoolean());
            var queues = json.RootElement.GetProperty("queues").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
            Assert.Equal(["default", "low"], queues.Keys.Order());
            Assert.Equal(1, queues["default"].GetProperty("finished").GetInt32());
            Assert.Equal(1, queues["default"].GetProperty("failed").GetInt32());
            Assert.Equal(1, queues["default"].GetProperty("scheduled").GetInt32());
            Assert.Equal(0, queues["default"].GetProperty("queued").GetInt32());
            Assert.Equal(1, queues["low"].GetProperty("queued").GetInt32());
            var listed = Assert.Single(json.RootElement.GetProperty("workers").EnumerateArray());
            Assert.Equal(worker.Name, listed.GetProperty("name").GetString());
            Assert.Equal("idle", listed.GetProperty("state").GetString());
            Assert.Equal(["idle"], listed.GetProperty("queues").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(Environment.ProcessId, listed.GetProperty("pid").GetInt32());
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task Info_Table_ShowsQueuesWorkersAndSuspension()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]", "--queue", "emails");
        await cli.RunAsync("suspend");

        var result = await cli.RunAsync("info");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Workers are suspended", result.Out);
        Assert.Matches(@"│ emails\s+│\s+1 │\s+0 │", result.Out);
        Assert.Contains("(no workers)", result.Out);
    }

    [Fact]
    public async Task Info_JsonWithInterval_OneObjectPerLineUntilCanceled()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var output = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = CliRunner.RunRawAsync(["info", "--json", "--interval", "100ms", "--url", broker.Url, "--prefix", q.Prefix],
            new Dictionary<string, string>(), stop.Token, output);
        await Eventually.HoldsAsync(() => Task.FromResult(output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= 3),
            "three snapshots");
        await stop.CancelAsync();
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        foreach (var line in result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var snapshot = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Array, snapshot.RootElement.GetProperty("queues").ValueKind);
        }
    }
}
