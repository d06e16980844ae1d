using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class EnqueueCommandTests(TestBroker broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Enqueue_TaskWithArgsAndKwargs_PrintsIdOfQueuedJob()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);

        var result = await cli.RunAsync("enqueue", "tests.not_registered_anywhere", "--args", "[\"hi\", 2]", "--kwargs", "{\"x\": {\"y\": null}}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var info = await q.Client.Job(result.Line).GetInfoAsync(Ct);
        Assert.NotNull(info);
        Assert.Equal(JobStatus.Queued, info.Status);
        Assert.Equal("default", info.Origin);
        Assert.Equal("tests.not_registered_anywhere", info.Call!.TaskName);
        Assert.Equal(["\"hi\"", "2"], info.Call.Args.Select(a => a.GetRawText()));
        Assert.Equal("{\"y\":null}", info.Call.Kwargs.Single(k => k.Key == "x").Value.GetRawText());
        Assert.Equal([result.Line], await q.Database.ListRangeAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task Enqueue_EveryOption_StoredOnTheJob()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        Assert.Equal(0, (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]", "--queue", "high", "--job-id", "first")).ExitCode);

        var result = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[2]", "--queue", "high", "--job-id", "my-job",
            "--description", "second one", "--timeout", "1.5m", "--result-ttl", "-1", "--retry", "2", "--at-front");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("my-job", result.Line);
        var info = (await q.Client.Job("my-job").GetInfoAsync(Ct))!;
        Assert.Equal("high", info.Origin);
        Assert.Equal("second one", info.Description);
        Assert.Equal(TimeSpan.FromSeconds(90), info.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, info.ResultTtl);
        Assert.Equal(2, info.RetriesLeft);
        Assert.Equal(["my-job", "first"], (await q.Database.ListRangeAsync(q.Keys.Queue("high"))).Select(v => v.ToString()));
    }

    [Theory]
    [InlineData("--in", "10s")]
    [InlineData("--at", "2099-01-31T08:00:00Z")]
    public async Task Enqueue_InOrAt_JobIsScheduled(string option, string value)
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);

        var result = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]", option, value);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(JobStatus.Scheduled, await q.Client.Job(result.Line).GetStatusAsync(Ct));
        Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Scheduled, "default"), result.Line));
    }

    [Fact]
    public async Task Enqueue_DependsOnUnfinishedJobs_JobIsDeferred()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var first = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;
        var second = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[2]")).Line;

        var result = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[3]", "--depends-on", first, "--depends-on", second);

        Assert.Equal(0, result.ExitCode);
        var info = (await q.Client.Job(result.Line).GetInfoAsync(Ct))!;
        Assert.Equal(JobStatus.Deferred, info.Status);
        Assert.Equal([first, second], info.DependsOn);
    }

    [Fact]
    public async Task Enqueue_OnConflictChoices_RejectFailsExistingPrintsTheLiveJob()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        Assert.Equal(0, (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]", "--job-id", "nightly")).ExitCode);

        var rejected = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[2]", "--job-id", "nightly", "--on-conflict", "reject");
        var existing = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[3]", "--job-id", "nightly", "--on-conflict", "existing");
        var replaced = await cli.RunAsync("enqueue", "taskq.echo", "--args", "[4]", "--job-id", "nightly");

        Assert.Equal((1, ""), (rejected.ExitCode, rejected.Out));
        Assert.Equal("taskq: Job nightly is queued (OnConflict = Reject); nothing was enqueued under its id.", rejected.Error.TrimEnd());
        Assert.Equal((0, "nightly"), (existing.ExitCode, existing.Line));
        Assert.Contains("already queued", existing.Error);
        Assert.Equal((0, "nightly", ""), (replaced.ExitCode, replaced.Line, replaced.Error));
        Assert.Equal(["4"], (await q.Client.Job("nightly").GetInfoAsync(Ct))!.Call!.Args.Select(a => a.GetRawText()));
        Assert.Equal(1, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task EnqueueHelp_JobIdDefault_SaysTheTwentyCharacterIdNotUuid()
    {
        var result = await CliRunner.RunRawAsync(["enqueue", "--help"], new Dictionary<string, string>(), Ct);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--job-id", result.Out);
        Assert.DoesNotContain("UUID", result.Out);
        Assert.Contains("20-character", result.Out);
    }

    [Theory]
    [InlineData("enqueue")]
    [InlineData("enqueue", "taskq.echo", "--args", "[1,")]
    [InlineData("enqueue", "taskq.echo", "--args", "{\"a\": 1}")]
    [InlineData("enqueue", "taskq.echo", "--kwargs", "[1]")]
    [InlineData("enqueue", "taskq.echo", "--timeout", "soon")]
    [InlineData("enqueue", "taskq.echo", "--result-ttl", "5 parsecs")]
    [InlineData("enqueue", "taskq.echo", "--in", "-1")]
    [InlineData("enqueue", "taskq.echo", "--in", "1s", "--at", "2099-01-01T00:00:00Z")]
    [InlineData("enqueue", "taskq.echo", "--at", "next tuesday")]
    [InlineData("enqueue", "taskq.echo", "--retry", "0")]
    [InlineData("enqueue", "taskq.echo", "--queue", "a,b")]
    [InlineData("enqueue", "taskq.echo", "--job-id", " ")]
    [InlineData("enqueue", "taskq.echo", "--job-id", "x", "--on-conflict", "ignore")]
    [InlineData("enqueue", "taskq.echo", "--no-such-option")]
    [InlineData("no-such-command")]
    public async Task Enqueue_BadInput_OneLineOnStderrAndExit2(params string[] args)
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var result = await new CliRunner(broker, q.Prefix).RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("taskq: ", line);
        Assert.DoesNotContain("Exception", line);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Queues), "nothing was enqueued");
    }
}
