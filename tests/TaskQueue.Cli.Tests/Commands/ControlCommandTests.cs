using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

/// <summary><c>cancel</c>, <c>stop-job</c>, <c>suspend</c> and <c>resume</c>. A running job stopped by stop-job,
/// and suspension as a worker sees it, are proven with real worker processes in <c>Processes/</c>.</summary>
public sealed class ControlCommandTests(TestBroker broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_QueuedJob_CanceledAndOffTheQueue()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var id = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;

        var result = await cli.RunAsync("cancel", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Canceled job {id}", result.Line);
        Assert.Equal(JobStatus.Canceled, await q.Client.Job(id).GetStatusAsync(Ct));
        Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task Cancel_FinishedOrUnknownJob_OneLineExit1()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var id = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;
        await q.RunBurstAsync();

        var finished = await cli.RunAsync("cancel", id);
        var unknown = await cli.RunAsync("cancel", "nope");

        Assert.Equal(1, finished.ExitCode);
        Assert.Equal($"taskq: job {id} is finished; only queued, deferred or scheduled jobs can be canceled.", finished.Error.TrimEnd());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("taskq: no job with id 'nope'.", unknown.Error.TrimEnd());
    }

    [Fact]
    public async Task StopJob_JobNotRunning_OneLineExit1()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);
        var id = (await cli.RunAsync("enqueue", "taskq.echo", "--args", "[1]")).Line;

        var queued = await cli.RunAsync("stop-job", id);
        var unknown = await cli.RunAsync("stop-job", "nope");

        Assert.Equal(1, queued.ExitCode);
        Assert.Equal($"taskq: job {id} is not running (it is queued).", queued.Error.TrimEnd());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("taskq: no job with id 'nope'.", unknown.Error.TrimEnd());
    }

    [Fact]
    public async Task SuspendAndResume_SetAndClearTheSuspendedKey()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);

        var forever = await cli.RunAsync("suspend");
        Assert.Equal(0, forever.ExitCode);
        Assert.True(await q.Database.KeyExistsAsync(q.Keys.Suspended));
        Assert.Null(await q.Database.KeyTimeToLiveAsync(q.Keys.Suspended));

        var resumed = await cli.RunAsync("resume");
        Assert.Equal(0, resumed.ExitCode);
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Suspended));

        var timed = await cli.RunAsync("suspend", "--duration", "5m");
        Assert.Equal(0, timed.ExitCode);
        Assert.Equal("Suspended workers for 5m", timed.Line);
        Assert.InRange((await q.Database.KeyTimeToLiveAsync(q.Keys.Suspended))!.Value.TotalSeconds, 290, 300);
    }

    [Fact]
    public async Task PauseAndResume_Queues_SetAndClearTheirPausedKeys()
    {
        await using var q = await TestQueue.CreateAsync(broker);
        var cli = new CliRunner(broker, q.Prefix);

        var paused = await cli.RunAsync("pause", "emails", "reports", "--duration", "10m");
        Assert.Equal(0, paused.ExitCode);
        Assert.Equal("Paused emails for 10m", paused.Out.Split('\n')[0].TrimEnd());
        Assert.InRange((await q.Database.KeyTimeToLiveAsync(q.Keys.Paused("reports")))!.Value.TotalSeconds, 590, 600);
        Assert.True((await q.Client.Queue("emails").GetCountsAsync(Ct)).Paused);

        var resumed = await cli.RunAsync("resume", "emails");
        var again = await cli.RunAsync("resume", "emails");

        Assert.Equal(("Resumed emails", "emails was not paused"), (resumed.Line, again.Line));
        Assert.False(await q.Database.KeyExistsAsync(q.Keys.Paused("emails")));
        Assert.True(await q.Database.KeyExistsAsync(q.Keys.Paused("reports")));
    }
}
