using System.Text.Json;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>A running job reports progress through its meta: a task's <c>JobContext.SaveMetaAsync</c> is what RQ's
/// <c>job.meta</c> reads, and a Python task's <c>job.save_meta()</c> is what <c>taskq job</c> reads, while the job runs and
/// after it ends.</summary>
public sealed class SaveMetaTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task TaskqWorkerSavesMeta_RqReadsItWhileRunningAndAfter()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var gate = Path.Combine(test.Folder, "gate-dotnet");
        var id = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.progress", args = new[] { gate }, meta = new { owner = "python" } });
        test.StartTaskqWorker();

        var running = await Eventually.ReturnsAsync(() => test.InspectAsync(id),
            j => j.Str("status") == "started" && j.GetProperty("meta").TryGetProperty("step", out _), "RQ to read step 1 of the running job");
        Assert.Equal("""{"owner":"python","step":1}""", running.GetProperty("meta").Compact());

        await File.WriteAllTextAsync(gate, "go", InteropTest.Ct);
        var done = await test.WaitForRqStatusAsync(id, "finished");
        Assert.Equal("""{"owner":"python","step":2,"note":"almost done"}""", done.GetProperty("meta").Compact());
        Assert.Equal("done", done.Str("return_value"));
    }

    [Fact(Timeout = 90_000)]
    public async Task RqWorkerSavesMeta_TaskqReadsItWhileRunningAndAfter()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var gate = Path.Combine(test.Folder, "gate-python");
        var job = await test.EnqueueAsync("interop_tasks.progress", [gate]);
        test.StartRqWorker();

        var running = await Eventually.ReturnsAsync(() => test.TaskqAsync("job", job.Id, "--json"),
            r => r.Stdout.Contains("\"started\"") && r.Stdout.Contains("\"step\""), "taskq job to read step 1 of the running job");
        using (var json = JsonDocument.Parse(running.Stdout)) Assert.Equal("""{"step":1}""", json.RootElement.GetProperty("meta").Compact());

        await File.WriteAllTextAsync(gate, "go", InteropTest.Ct);
        await test.WaitForStatusAsync(job.Id, JobStatus.Finished);
        var info = await test.JobAsync(job.Id);
        Assert.Equal("""{"step":2,"note":"almost done"}""", info.Meta!.Value.Compact());
    }
}
