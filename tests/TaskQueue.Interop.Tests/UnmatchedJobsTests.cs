using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;

namespace TaskQueue.Interop.Tests;

/// <summary>Jobs TaskQueue cannot run as RQ would (a pickled job, a function only Python has) fail with a readable
/// reason, and are left so that RQ still reads, requeues and runs them.</summary>
public sealed class UnmatchedJobsTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task PickledJob_TaskqFailsItReadably_RqRequeuesAndRunsIt()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var pickled = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 2, 3 }, serializer = "pickle", meta = new { owner = "pickle" } });

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));

        var info = await test.JobAsync(pickled);
        Assert.Equal(JobStatus.Failed, info.Status);
        Assert.Contains("Python pickle", info.DataError);
        var failed = await test.InspectAsync(pickled, serializer: "pickle");
        Assert.Equal("failed", failed.Str("status"));
        Assert.StartsWith("JobDataError: the job's data is a Python pickle (RQ's default serializer)", failed.Str("exc_info"));
        Assert.Equal("""{"owner":"pickle"}""", failed.GetProperty("meta").Compact());

        // RQ with its default serializer takes it from here, untouched.
        var requeue = await test.RqWithAsync(InteropTest.RqPickleSerializer, "requeue", "--queue", "default", "--all");
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        await InteropTest.ExpectExitAsync(test.StartRqWorkerWith(InteropTest.RqPickleSerializer, "--burst"));
        var ran = await test.InspectAsync(pickled, serializer: "pickle");
        Assert.Equal(("finished", 5), (ran.Str("status"), ran.GetProperty("return_value").GetInt32()));
    }

    [Fact(Timeout = 60_000)]
    public async Task PythonOnlyFunction_TaskqFailsItReadably_RqRequeuesAndRunsIt()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var job = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.python_only" });

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));
        var failed = await test.InspectAsync(job);
        Assert.Equal("failed", failed.Str("status"));
        Assert.StartsWith("UnknownTaskError: no task named 'interop_tasks.python_only' is registered", failed.Str("exc_info"));

        var requeue = await test.RqAsync("requeue", "--queue", "default", "--all");
        Assert.True(requeue.ExitCode == 0, requeue.ToString());
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));
        var ran = await test.InspectAsync(job);
        Assert.Equal(("finished", "ran in python"), (ran.Str("status"), ran.Str("return_value")));
    }
}
