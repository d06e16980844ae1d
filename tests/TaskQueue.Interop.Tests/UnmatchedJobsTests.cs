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

    [Fact(Timeout = 60_000)]
    public async Task PythonOnlyCallback_TaskqRefusesTheJobBeforeRunningIt_RqRunsItWithItsCallback()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var job = await test.EnqueueFromPythonAsync(new
        {
            func = "interop_tasks.mark", args = new object[] { test.Folder, "callback" }, on_success = "interop_tasks.record_success",
        });

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));
        var failed = await test.InspectAsync(job);
        Assert.Equal("failed", failed.Str("status"));
        Assert.StartsWith("UnknownTaskError: callback 'interop_tasks.record_success' is not a registered task", failed.Str("exc_info"));
        Assert.Empty(Directory.GetFiles(test.Folder));

        await test.RqAsync("requeue", "--queue", "default", "--all");
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst"));
        var ran = await test.InspectAsync(job);
        Assert.Equal(("finished", "python"), (ran.Str("status"), ran.GetProperty("meta").Str("callback")));
        Assert.Single(Directory.GetFiles(test.Folder));
    }

    [Fact(Timeout = 60_000)]
    public async Task Rq2Jobs_RunUnlessTheyAskForRepeat_WhichTaskqRefusesReadably()
    {
        await using var test = await InteropTest.CreateAsync(server);
        // Jobs as RQ 2.x writes them (shared/reference/rq/dump2_pickle_after3.trim.txt), with the JSON serializer.
        await WriteRq2JobAsync(test, "rq2-plain", "plain");
        await WriteRq2JobAsync(test, "rq2-repeat", "repeat", ("repeats_left", "2"), ("repeat_intervals", "[1]"));

        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst"));

        Assert.Equal(("finished", "dotnet"), ((await test.InspectAsync("rq2-plain")).Str("status"), (await test.InspectAsync("rq2-plain")).Str("return_value")));
        var repeat = await test.InspectAsync("rq2-repeat");
        Assert.Equal("failed", repeat.Str("status"));
        Assert.StartsWith("UnsupportedJobError: the job asks for RQ 2.x's Repeat (repeats_left=2)", repeat.Str("exc_info"));
        Assert.Equal(["plain"], Directory.GetFiles(test.Folder).Select(f => Path.GetFileName(f).Split('.')[0]));
        Assert.Equal("2", await test.Redis.HashGetAsync("rq:job:rq2-repeat", "repeats_left"));
    }

    private static async Task WriteRq2JobAsync(InteropTest test, string id, string key, params (string Name, string Value)[] extra)
    {
        var data = System.Text.Json.JsonSerializer.Serialize(new object?[] { "interop_tasks.mark", null, new[] { test.Folder, key }, new { } });
        var now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
        StackExchange.Redis.HashEntry[] fields =
        [
            new("created_at", now), new("enqueued_at", now), new("data", data), new("description", $"interop_tasks.mark({key})"),
            new("origin", "default"), new("status", "queued"), new("timeout", "180"), new("group_id", ""),
            new("success_callback_name", ""), new("failure_callback_name", ""), new("stopped_callback_name", ""),
            new("success_callback_timeout", "60"), new("failure_callback_timeout", "60"), new("started_at", ""), new("ended_at", ""),
            new("last_heartbeat", ""), new("worker_name", ""),
            .. extra.Select(e => new StackExchange.Redis.HashEntry(e.Name, e.Value)),
        ];
        await test.Redis.HashSetAsync("rq:job:" + id, fields);
        await test.Redis.SetAddAsync("rq:queues", "rq:queue:default");
        await test.Redis.ListRightPushAsync("rq:queue:default", id);
    }
}
