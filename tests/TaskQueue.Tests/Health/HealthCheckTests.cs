using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using TaskQueue.Health;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Tests.Workers;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Tests.Health;

/// <summary><c>services.AddHealthChecks().AddTaskQueue()</c> through the host's <see cref="HealthCheckService"/>.</summary>
public sealed class HealthCheckTests(TestBroker broker)
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    private Task<TestQueue> CreateAsync(Action<TaskQueueHealthOptions>? configure = null, string? url = null) =>
        TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly), services: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddHealthChecks().AddTaskQueue(configure);
        }, options: url is null ? null : o => o.Url = url);

    private static async Task<HealthReportEntry> CheckAsync(TestQueue q) =>
        (await q.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["taskqueue"];

    [Fact]
    public async Task Check_BrokerAnswersAndNoWorker_HealthyWithItsLatency()
    {
        await using var q = await CreateAsync();

        var entry = await CheckAsync(q);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.True(entry.Data.ContainsKey("broker_ms"));
        Assert.Equal(0, entry.Data["workers"]);
    }

    [Fact]
    public async Task Check_BrokerUnreachable_UnhealthyWithTheReason()
    {
        await using var q = await CreateAsync(url: "redis://127.0.0.1:1");

        var entry = await CheckAsync(q);

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        // Refused at once, or (on a loaded machine) not answered within the timeout: either way, said.
        Assert.StartsWith("The broker does not answer: ", entry.Description);
    }

    [Fact]
    public async Task Check_WorkerRunsHere_CountedWhileItRunsAndUnhealthyOnceItsHeartbeatsStop()
    {
        await using var q = await CreateAsync();
        var worker = q.Worker(o => o.HeartbeatInterval = TimeSpan.FromSeconds(1));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await Eventually.HoldsAsync(async () => (await CheckAsync(q)).Data["workers"] is 1, "the worker to register");
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(q)).Status);

        // A heartbeat that stopped succeeding: the last one is now more than three intervals old.
        q.Services.GetRequiredService<WorkerHeartbeats>().Beat(worker.Name, TimeSpan.FromSeconds(1), clock.GetUtcNow() - TimeSpan.FromSeconds(4));
        var silent = await CheckAsync(q);
        Assert.Equal(HealthStatus.Unhealthy, silent.Status);
        Assert.Equal($"Worker {worker.Name} has not heartbeated for 4 s.", silent.Description);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(0, (await CheckAsync(q)).Data["workers"]);
    }

    [Fact]
    public async Task Check_QueueThresholds_DegradedByLengthUnhealthyByAge()
    {
        await using var q = await CreateAsync(o =>
        {
            o.Queues = ["h"];
            o.DegradedQueueLength = 2;
            o.UnhealthyQueueLength = 100;
            o.DegradedQueueAge = TimeSpan.FromMinutes(1);
            o.UnhealthyQueueAge = TimeSpan.FromMinutes(5);
        });
        await q.Client.Queue("h").EnqueueManyAsync([JobRequest.Create("tests.add"), JobRequest.Create("tests.add"), JobRequest.Create("tests.add")]);

        var longQueue = await CheckAsync(q);
        Assert.Equal(HealthStatus.Degraded, longQueue.Status);
        Assert.Equal("Queue h holds 3 jobs.", longQueue.Description);
        Assert.Equal(3L, longQueue.Data["queue.h.length"]);

        clock.Advance(TimeSpan.FromMinutes(6));
        var oldQueue = await CheckAsync(q);
        Assert.Equal(HealthStatus.Unhealthy, oldQueue.Status);
        Assert.Equal("Queue h's next job has waited 360 s.", oldQueue.Description);
    }

    [Fact]
    public void AddTaskQueue_NonPositiveTimeout_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddHealthChecks().AddTaskQueue(o => o.Timeout = TimeSpan.Zero));
        Assert.StartsWith("Timeout must be positive", error.Message);
    }
}
