using System.Text.Json;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class LimitCommandTests(TestBroker broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Limit_SetChangeShowAndClear_StoredAndShownByInfo()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]", "--queue", "api");

        var set = await cli.RunAsync("limit", "api", "--rate", "10/s", "--concurrency", "5");
        var changed = await cli.RunAsync("limit", "api", "--rate", "100/500ms");
        var shown = await cli.RunAsync("limit", "api", "--json");
        var table = await cli.RunAsync("info");
        var info = await cli.RunAsync("info", "--json");

        Assert.Equal((0, "api: 10 per 1s, 5 at once"), (set.ExitCode, set.Line));
        Assert.Equal("api: 100 per 500ms, 5 at once", changed.Line);
        Assert.Equal(new QueueLimits { Rate = new RateLimit(100, TimeSpan.FromMilliseconds(500)), Concurrency = 5 }, await q.Client.Queue("api").GetLimitsAsync(Ct));
        using (var json = JsonDocument.Parse(shown.Out))
        {
            Assert.Equal("""{"rate":{"count":100,"per_ms":500},"concurrency":5}""", JsonSerializer.Serialize(json.RootElement));
        }
        Assert.Contains("100/500ms, 5 at once", table.Out);
        using (var json = JsonDocument.Parse(info.Out))
        {
            var api = json.RootElement.GetProperty("queues").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "api");
            Assert.Equal(5, api.GetProperty("limits").GetProperty("concurrency").GetInt32());
            Assert.Equal(100, api.GetProperty("limits").GetProperty("rate").GetProperty("count").GetInt32());
        }

        var dropRate = await cli.RunAsync("limit", "api", "--rate", "none");
        Assert.Equal("api: 5 at once", dropRate.Line);
        var cleared = await cli.RunAsync("limit", "api", "--clear");
        Assert.Equal("api: no limits", cleared.Line);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Limits("api")));
    }

    [Theory]
    [InlineData("limit", "api", "--rate", "10")]
    [InlineData("limit", "api", "--rate", "0/s")]
    [InlineData("limit", "api", "--rate", "10/2d")]
    [InlineData("limit", "api", "--rate", "10/0.5ms")]
    [InlineData("limit", "api", "--rate", "ten/s")]
    [InlineData("limit", "api", "--concurrency", "0")]
    [InlineData("limit", "api", "--concurrency", "-2")]
    [InlineData("limit", "api", "--clear", "--concurrency", "2")]
    [InlineData("limit", "a,b")]
    [InlineData("limit")]
    public async Task Limit_BadInput_OneLineOnStderrAndExit2(params string[] args)
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var result = await new CliRunner(broker, q.Prefix).RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("taskq: ", line);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Limits("api")));
    }
}
