using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Workers;

public sealed class WorkerOptionsTests
{
    [Fact]
    public void Problems_DefaultOptions_None()
    {
        Assert.Empty(new WorkerOptions().Problems());
    }

    [Fact]
    public void Problems_SeveralBadSettings_EachNamed()
    {
        var options = new WorkerOptions { Queues = ["default", "a,b"], Concurrency = 0, MaxJobs = 0, HeartbeatInterval = TimeSpan.FromMilliseconds(10) };

        Assert.Equal(
            ["'a,b' is not a valid queue name.", "Concurrency must be at least 1, not 0.", "MaxJobs must be at least 1, not 0.",
             "HeartbeatInterval must be at least 100 ms, not 00:00:00.0100000."],
            options.Problems());
    }

    [Fact]
    public void Problems_BadIsolationSettings_EachNamed()
    {
        var options = new WorkerOptions
        {
            Isolation = (TaskQueue.Tasks.TaskIsolation)7, CancelGrace = TimeSpan.FromSeconds(-1), MaxZombies = 0,
            ChildCommand = new TaskQueue.Isolation.ChildCommand(" ", []),
        };

        Assert.Equal(
            ["Isolation must be None or Process, not 7.", "CancelGrace cannot be negative, not -00:00:01.", "MaxZombies must be at least 1, not 0.",
             "ChildCommand needs a file name."],
            options.Problems());
    }

    [Fact]
    public async Task HostStart_InvalidWorkerOptions_FailsBeforeAnyServiceRuns()
    {
        var builder = Host.CreateApplicationBuilder();
        // No broker is reachable at this URL: the host must stop at validation, before the worker connects.
        builder.Services.AddTaskQueue(o => o.Url = "redis://127.0.0.1:1").AddWorker(o =>
        {
            o.Queues = [];
            o.Concurrency = -2;
        });
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["A worker needs at least one queue.", "Concurrency must be at least 1, not -2."], e.Failures);
    }
}
