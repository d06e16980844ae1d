using System.Diagnostics;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Telemetry;
using TaskQueue.Tests.Workers;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Telemetry;

/// <summary>Traces through a real OpenTelemetry SDK (in-memory exporter): the producer's span, the context stored in
/// the job hash, and the worker's span that continues it.</summary>
public sealed class TraceTests(TestBroker broker)
{
    private Task<TestQueue> CreateAsync() => TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly)
        .AddTask("tests.traced_child", () =>
        {
            using var child = SpanLog.Tests.StartActivity("child work");
        }));

    [Fact]
    public async Task Run_EnqueuedInsideActivity_JobSpanHasProducersTraceId()
    {
        using var spans = new SpanLog();
        await using var q = await CreateAsync();
        Job job;
        ActivityTraceId trace;
        using (var request = SpanLog.Tests.StartActivity("POST /reports")!)
        {
            trace = request.TraceId;
            job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(2, 3));
        }

        await q.RunBurstAsync();

        var process = await spans.ProcessSpanAsync(job.Id);
        Assert.Equal(trace, process.TraceId);
        var send = Assert.Single(spans.Of(trace), s => s.Kind == ActivityKind.Producer);
        Assert.Equal("send default", send.DisplayName);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(send.SpanId, Assert.Single(process.Links).Context.SpanId);
        Assert.Equal("process default", process.DisplayName);
        Assert.Equal(ActivityStatusCode.Unset, process.Status);
        foreach (var (span, operation) in new[] { (send, "send"), (process, "process") })
        {
            Assert.Equal("rq", span.GetTagItem("messaging.system"));
            Assert.Equal("default", span.GetTagItem("messaging.destination.name"));
            Assert.Equal(job.Id, span.GetTagItem("messaging.message.id"));
            Assert.Equal(operation, span.GetTagItem("messaging.operation.type"));
        }
        Assert.Equal(send.Id, (string?)await q.Database.HashGetAsync(q.Keys.Job(job.Id), TaskQueueTelemetry.TraceParentField));
    }

    [Fact]
    public async Task EnqueueMany_InsideActivity_OneSendSpanWithCountAndEveryJobContinuesIt()
    {
        using var spans = new SpanLog();
        await using var q = await CreateAsync();
        IReadOnlyList<Job> jobs;
        using (SpanLog.Tests.StartActivity("bulk"))
        {
            jobs = await q.Client.Queue("bulk").EnqueueManyAsync(Enumerable.Range(0, 5).Select(i => JobRequest.Create("tests.add", [i, i])));
        }

        await q.RunBurstAsync(o => o.Queues = ["bulk"]);

        var processes = await Task.WhenAll(jobs.Select(j => spans.ProcessSpanAsync(j.Id)));
        var send = Assert.Single(spans.Of(processes[0].TraceId), s => s.Kind == ActivityKind.Producer);
        Assert.Equal(5, send.GetTagItem("messaging.batch.message_count"));
        Assert.Null(send.GetTagItem("messaging.message.id"));
        Assert.All(processes, p => Assert.Equal(send.SpanId, p.ParentSpanId));
    }

    [Fact]
    public async Task Run_TaskThrows_SpanIsErrorWithExceptionType()
    {
        using var spans = new SpanLog();
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Fail("kaboom"));

        await q.RunBurstAsync();

        var process = await spans.ProcessSpanAsync(job.Id);
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        Assert.Equal("System.InvalidOperationException: kaboom", process.StatusDescription);
        Assert.Equal("System.InvalidOperationException", process.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Run_SynchronousTaskStartsSpan_ItIsAChildOfTheRun()
    {
        using var spans = new SpanLog();
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync("tests.traced_child");

        await q.RunBurstAsync();

        var process = await spans.ProcessSpanAsync(job.Id);
        var child = Assert.Single(spans.Of(process.TraceId), s => s.DisplayName == "child work");
        Assert.Equal(process.SpanId, child.ParentSpanId);
    }

    [Fact]
    public async Task Run_MalformedStoredContext_JobRunsInATraceOfItsOwn()
    {
        using var spans = new SpanLog();
        await using var q = await CreateAsync();
        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(1, 1));
        // Anyone who can write the hash can write this field: a forged value must neither fail the job nor be trusted.
        await q.Database.HashSetAsync(q.Keys.Job(job.Id), [new(TaskQueueTelemetry.TraceParentField, "00-not-a-trace-context-01"),
            new(TaskQueueTelemetry.TraceStateField, new string('x', 10_000))]);

        await q.RunBurstAsync();

        Assert.Equal(2, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
        var process = await spans.ProcessSpanAsync(job.Id);
        Assert.Equal(default, process.ParentSpanId);
        Assert.Empty(process.Links);
    }
}
