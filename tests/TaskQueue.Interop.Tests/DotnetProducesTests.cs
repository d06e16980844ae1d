using System.Text.Json;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;

namespace TaskQueue.Interop.Tests;

/// <summary>TaskQueue enqueues (the C# API and <c>taskq enqueue</c>), <c>rq worker</c> runs, and TaskQueue reads the outcome
/// (<c>taskq job</c> and the C# job handle).</summary>
public sealed class DotnetProducesTests(InteropServer server)
{
    [Fact(Timeout = 60_000)]
    public async Task DotnetJobs_RunInRqWorker_TaskqReadsResultsAndFailures()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var add = await test.EnqueueAsync("interop_tasks.add", [2], new() { ["y"] = 3 });
        var shape = await test.EnqueueWithTaskqAsync("interop_tasks.shape", "--args", """["hi", [1, 2, 3]]""", "--kwargs", """{"options": {"deep": [1, null]}}""");
        var fail = await test.EnqueueWithTaskqAsync("interop_tasks.fail", "--args", """["kaboom"]""");
        var nothing = await test.EnqueueAsync("interop_tasks.nothing");

        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));

        Assert.Equal(5, await add.WaitForResultAsync<int>(TimeSpan.FromSeconds(5), InteropTest.Ct));
        var shapeJob = await JobJsonAsync(test, shape);
        Assert.Equal("finished", shapeJob.Str("status"));
        Assert.Equal("""{"text":"HI","total":6,"options":{"deep":[1,null]}}""", shapeJob.GetProperty("result").Compact());

        var failJob = await JobJsonAsync(test, fail);
        Assert.Equal("failed", failJob.Str("status"));
        Assert.Contains("ValueError: kaboom", failJob.Str("exc_info"));
        var failed = await Assert.ThrowsAsync<JobFailedException>(() => test.Client.Job(fail).WaitForResultAsync<int>(TimeSpan.FromSeconds(5), InteropTest.Ct));
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("ValueError: kaboom", failed.ExcInfo);
        var text = await test.TaskqAsync("job", fail);
        Assert.Contains("status       failed", text.Stdout);
        Assert.Contains("ValueError: kaboom", text.Stdout);

        var none = await nothing.WaitAsync(TimeSpan.FromSeconds(5), InteropTest.Ct);
        Assert.Equal(JobStatus.Finished, none.Status);
        Assert.Equal("null", none.ResultJson ?? "null");
    }

    [Fact(Timeout = 60_000)]
    public async Task DotnetRetryWithIntervals_RqWorkerRetriesOnItsSchedule_TaskqReadsEachState()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var counter = Path.Combine(test.Folder, "flaky");
        var job = await test.EnqueueAsync("interop_tasks.flaky", [counter, 2],
            options: new EnqueueOptions { Retry = new Retry(2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)) });
        // taskq enqueue --retry N gives no intervals: RQ's worker must read that as its own Retry(max), retrying at once.
        var cli = await test.EnqueueWithTaskqAsync("interop_tasks.flaky", "--args", $"[{JsonSerializer.Serialize(counter + "-cli")}, 1]", "--retry", "1");
        test.StartRqWorker("--with-scheduler");

        Assert.Equal(2, await test.Client.Job(cli).WaitForResultAsync<int>(TimeSpan.FromSeconds(15), InteropTest.Ct));
        await test.WaitForStatusAsync(job.Id, JobStatus.Scheduled);
        var scheduled = await job.GetInfoAsync(InteropTest.Ct);
        Assert.Equal(1, scheduled!.RetriesLeft);

        Assert.Equal(3, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(30), InteropTest.Ct));
        Assert.Equal(0, (await job.GetInfoAsync(InteropTest.Ct))!.RetriesLeft);
    }

    [Fact(Timeout = 60_000)]
    public async Task DotnetJobWithDefaults_CarriesWhatRqsWorkerReads_RunsPastItsMonitoringInterval()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var job = await test.EnqueueAsync("interop_tasks.sleep", [3]);
        var forever = await test.EnqueueAsync("interop_tasks.sleep", [1], options: new EnqueueOptions { Timeout = Timeout.InfiniteTimeSpan });

        // RQ's readers expect a description (RQ's call string) and a timeout on every job: its worker computes
        // job.timeout + 60 at each monitoring interval while a job runs, and fails on a job without one.
        var read = await test.InspectAsync(job.Id);
        Assert.Equal(("interop_tasks.sleep(3)", 180), (read.Str("description"), read.GetProperty("timeout").GetInt32()));
        Assert.Equal(-1, (await test.InspectAsync(forever.Id)).GetProperty("timeout").GetInt32());

        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst", "--job-monitoring-interval", "1"));
        Assert.Equal("slept", await job.WaitForResultAsync<string>(TimeSpan.FromSeconds(5), InteropTest.Ct));
        Assert.Equal("slept", await forever.WaitForResultAsync<string>(TimeSpan.FromSeconds(5), InteropTest.Ct));
    }

    private static async Task<JsonElement> JobJsonAsync(InteropTest test, string id)
    {
        var result = await test.TaskqAsync("job", id, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Stdout).RootElement.Clone();
    }
}
