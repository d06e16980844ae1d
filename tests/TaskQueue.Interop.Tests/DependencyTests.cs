using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;

namespace TaskQueue.Interop.Tests;

/// <summary><c>depends_on</c> across languages: a child waits, deferred, until the other side's worker finishes its parent.</summary>
/// <remarks>Each side's jobs go on a queue only that side's worker serves, so the parent runs on one side and the
/// child's release is the other side's doing.</remarks>
public sealed class DependencyTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task DependsOn_AcrossLanguages_ChildrenRunOnceTheOtherSidesParentsFinish()
    {
        await using var test = await InteropTest.CreateAsync(server);
        // Parents sleep long enough for the children to be enqueued while they are still unfinished.
        var pythonParent = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 2 }, queue = "py" });
        var dotnetParent = await test.EnqueueAsync("interop_tasks.sleep", [2], queue: "cs");
        var dotnetChild = await test.EnqueueAsync("interop_tasks.add", [1, 2], queue: "cs", options: new EnqueueOptions { DependsOn = [pythonParent] });
        var pythonChild = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 3, 4 }, queue = "py", depends_on = dotnetParent.Id });
        Assert.Equal(JobStatus.Deferred, dotnetChild.EnqueuedAs);
        var deferred = await test.InspectAsync(pythonChild);
        Assert.Equal("deferred", deferred.Str("status"));
        Assert.Equal(["deferred"], deferred.Strings("registries"));
        Assert.Equal([dotnetParent.Id], deferred.Strings("dependency_ids"));
        Assert.Equal([pythonParent], (await test.InspectAsync(dotnetChild.Id)).Strings("dependency_ids"));

        test.StartRqWorker("py");
        test.StartTaskqWorker("cs");

        // RQ's worker finished the Python parent and released the C# child into "cs", where taskq ran it.
        Assert.Equal(3, await dotnetChild.WaitForResultAsync<int>(TimeSpan.FromSeconds(30), InteropTest.Ct));
        // TaskQueue's worker finished the C# parent and released the Python child into "py", where RQ ran it.
        var child = await test.WaitForRqStatusAsync(pythonChild, "finished", TimeSpan.FromSeconds(30));
        Assert.Equal(7, child.GetProperty("return_value").GetInt32());
        Assert.Equal(0, await test.Redis.SortedSetLengthAsync("rq:deferred:cs") + await test.Redis.SortedSetLengthAsync("rq:deferred:py"));
    }

    [Fact(Timeout = 60_000)]
    public async Task DependsOn_AFailedParent_KeepsTheOtherSidesChildDeferred()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var pythonParent = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.fail", args = new[] { "parent" }, queue = "py" });
        var dotnetParent = await test.EnqueueAsync("interop_tasks.fail", ["parent"], queue: "cs");
        var dotnetChild = await test.EnqueueAsync("interop_tasks.add", [1, 2], queue: "cs", options: new EnqueueOptions { DependsOn = [pythonParent] });
        var pythonChild = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 3, 4 }, queue = "py", depends_on = dotnetParent.Id });

        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst", "py"));
        await InteropTest.ExpectExitAsync(test.StartTaskqWorker("--burst", "cs"));
        await InteropTest.ExpectExitAsync(test.StartRqWorker("--burst", "py"));

        Assert.Equal("failed", (await test.InspectAsync(pythonParent)).Str("status"));
        Assert.Equal(JobStatus.Failed, await dotnetParent.GetStatusAsync(InteropTest.Ct));
        Assert.Equal(JobStatus.Deferred, await dotnetChild.GetStatusAsync(InteropTest.Ct));
        Assert.Equal("deferred", (await test.InspectAsync(pythonChild)).Str("status"));
    }
}
