using System.Diagnostics;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.Telemetry;

namespace TaskQueue.Interop.Tests;

/// <summary>Issue 14: a job enqueued while TaskQueue is traced carries <c>traceparent</c>/<c>tracestate</c> in its hash.
/// RQ's worker runs it and RQ's readers read it as if the fields were not there, and the fields survive RQ's writes.</summary>
public sealed class TracedJobsTests(InteropServer server)
{
    private static readonly ActivitySource Producer = new("TaskQueue.Interop.Tests");

    [Fact(Timeout = 60_000)]
    public async Task TracedDotnetJobs_RunInRqWorker_RqReadsThemAndKeepsTheContext()
    {
        await using var test = await InteropTest.CreateAsync(server);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is TaskQueueTelemetry.SourceName or "TaskQueue.Interop.Tests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        Job single;
        IReadOnlyList<Job> batch;
        using (var request = Producer.StartActivity("request")!)
        {
            request.TraceStateString = "vendor=abc";
            single = await test.EnqueueAsync("interop_tasks.add", [2], new() { ["y"] = 3 });
            batch = await test.Client.Queue().EnqueueManyAsync([JobRequest.Create("interop_tasks.add", [1, 1]),
                JobRequest.Create("interop_tasks.fail", ["traced kaboom"])], InteropTest.Ct);
        }
        var traceparent = (string?)await test.Redis.HashGetAsync($"rq:job:{single.Id}", TaskQueueTelemetry.TraceParentField);
        Assert.NotNull(traceparent);
        Assert.Equal("vendor=abc", (string?)await test.Redis.HashGetAsync($"rq:job:{batch[0].Id}", TaskQueueTelemetry.TraceStateField));

        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));

        var added = await test.InspectAsync(single.Id);
        Assert.Equal(("finished", 5), (added.Str("status"), added.GetProperty("return_value").GetInt32()));
        Assert.Equal(2, (await test.InspectAsync(batch[0].Id)).GetProperty("return_value").GetInt32());
        var failed = await test.InspectAsync(batch[1].Id);
        Assert.Equal("failed", failed.Str("status"));
        Assert.Contains("ValueError: traced kaboom", failed.Str("exc_info"));
        Assert.Equal(5, await single.WaitForResultAsync<int>(TimeSpan.FromSeconds(5), InteropTest.Ct));
        // RQ's worker rewrote the hash (status, times, result) without dropping the fields it does not know.
        Assert.Equal(traceparent, (string?)await test.Redis.HashGetAsync($"rq:job:{single.Id}", TaskQueueTelemetry.TraceParentField));
        var info = await test.RqAsync("info");
        Assert.True(info.ExitCode == 0, info.ToString());
    }
}
