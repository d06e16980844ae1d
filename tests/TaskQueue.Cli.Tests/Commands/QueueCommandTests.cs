using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

/// <summary><c>requeue</c> and <c>empty</c>.</summary>
public sealed class QueueCommandTests(TestBroker broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requeue_All_EveryFailedJobQueuedAgain()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var failed = new List<string>();
        for (var i = 0; i < 3; i++) failed.Add((await cli.RunAsync("enqueue", "taskq.fail", "--args", $"[\"{i}\"]")).Line);
        await q.RunBurstAsync();

        var result = await cli.RunAsync("requeue", "--all");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Requeued 3 job(s) from default", result.Line);
        foreach (var id in failed) Assert.Equal(JobStatus.Queued, await q.Client.Job(id).GetStatusAsync(Ct));
        Assert.Equal(0, await q.Database.SortedSetLengthAsync(q.Keys.Registry(Registry.Failed, "default")));
        Assert.Equal(3, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task Requeue_IdsSomeNotFailed_RequeuesFailedReportsOthersExit1()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var failed = (await cli.RunAsync("enqueue", "taskq.fail", "--args", "[\"x\"]")).Line;
        var finished = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;
        await q.RunBurstAsync();

        var result = await cli.RunAsync("requeue", failed, finished, "missing-id");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Requeued 1 job(s)", result.Line);
        Assert.Equal(
            [$"taskq: job {finished} is finished; only failed, stopped or canceled jobs can be requeued.", "taskq: no job with id 'missing-id'."],
            result.Error.TrimEnd().Split('\n'));
        Assert.Equal(JobStatus.Queued, await q.Client.Job(failed).GetStatusAsync(Ct));
    }

    [Theory]
    [InlineData("requeue")]
    [InlineData("requeue", "--all", "some-id")]
    public async Task Requeue_NeitherOrBothIdsAndAll_Exit2(params string[] args)
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var result = await new CliRunner(broker, q.Prefix).RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("taskq: Give either job ids or --all", result.Error);
    }

    [Fact]
    public async Task Empty_Queues_DeletesWaitingJobsOnly()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var waiting = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;
        await cli.RunAsync("enqueue", "taskq.echo", "--args", "[2]", "--queue", "other");
        var scheduled = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[3]", "--in", "1h")).Line;

        var result = await cli.RunAsync("empty", "default", "other");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["1 job(s) removed from default", "1 job(s) removed from other"], result.Out.TrimEnd().Split('\n'));
        Assert.Null(await q.Client.FindJobAsync(waiting, Ct));
        Assert.Equal(JobStatus.Scheduled, await q.Client.Job(scheduled).GetStatusAsync(Ct));
    }

    [Fact]
    public async Task Empty_NoQueue_Exit2()
    {
        var result = await new CliRunner(broker, TestBroker.NewPrefix()).RunAsync("empty");

        Assert.Equal(2, result.ExitCode);
    }
}
