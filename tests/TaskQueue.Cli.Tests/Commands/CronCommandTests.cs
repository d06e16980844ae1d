using System.Text.Json;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue.Cli.Tests.Commands;

/// <summary><c>cron list|pause|resume|run</c> over entries a real scheduler published.</summary>
public sealed class CronCommandTests(TestBroker broker)
{
    [Fact]
    public async Task List_PublishedEntry_TableAndJson()
    {
        await using var q = await PublishedAsync();
        var cli = new CliRunner(broker, q.Prefix);

        var table = await cli.RunAsync("cron", "list");
        var json = await cli.RunAsync("cron", "list", "--json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("nightly", table.Out);
        Assert.Contains("0 3 * * * (UTC)", table.Out);
        var entry = JsonDocument.Parse(json.Out).RootElement.EnumerateArray().Single();
        Assert.Equal("nightly", entry.GetProperty("name").GetString());
        Assert.Equal("taskq.echo", entry.GetProperty("task").GetString());
        Assert.False(entry.GetProperty("paused").GetBoolean());
        Assert.EndsWith("T03:00:00.000Z", entry.GetProperty("next_run").GetString());
    }

    [Fact]
    public async Task PauseResume_PublishedEntry_FlagFollows()
    {
        await using var q = await PublishedAsync();
        var cli = new CliRunner(broker, q.Prefix);
        var cron = q.Services.GetRequiredService<CronControl>();

        var pause = await cli.RunAsync("cron", "pause", "nightly");
        Assert.Equal((0, "Paused cron entry nightly"), (pause.ExitCode, pause.Line));
        Assert.True((await cron.ListAsync()).Single().Paused);

        var resume = await cli.RunAsync("cron", "resume", "nightly");
        Assert.Equal((0, "Resumed cron entry nightly"), (resume.ExitCode, resume.Line));
        Assert.False((await cron.ListAsync()).Single().Paused);
    }

    [Fact]
    public async Task Run_PublishedEntry_PrintsTheQueuedJobId()
    {
        await using var q = await PublishedAsync();
        var cli = new CliRunner(broker, q.Prefix);

        var run = await cli.RunAsync("cron", "run", "nightly");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("cron:nightly:run:", run.Line);
        Assert.Equal(JobStatus.Queued, await q.Client.Job(run.Line).GetStatusAsync());
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("run")]
    public async Task Change_UnknownEntry_OneLineExit1(string verb)
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);

        var result = await cli.RunAsync("cron", verb, "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("taskq: no cron entry named 'nope'", result.Error);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Cron_NoName_UsageExit2()
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var result = await new CliRunner(broker, q.Prefix).RunAsync("cron", "pause");

        Assert.Equal(2, result.ExitCode);
    }

    /// <summary>A test queue whose scheduler has published the entry <c>nightly</c> (taskq.echo at 03:00 UTC).</summary>
    private async Task<TestQueue> PublishedAsync()
    {
        var q = await TestQueue.CreateAsync(broker, b => b.AddCron("nightly", "0 3 * * *", "taskq.echo"));
        using var stop = new CancellationTokenSource();
        var running = q.Worker(o => { o.WithScheduler = true; o.Queues = ["idle"]; }).RunAsync(stop.Token);
        var cron = q.Services.GetRequiredService<CronControl>();
        await Eventually.HoldsAsync(async () => (await cron.ListAsync()).Count == 1, "the scheduler to publish its cron entry");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        return q;
    }
}
