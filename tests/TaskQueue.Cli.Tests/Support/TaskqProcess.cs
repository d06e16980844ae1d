using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Support;

/// <summary>Starts real <c>dotnet taskq.dll</c> processes (<see cref="ChildProcess"/>) with the test broker's URL and a
/// test's key prefix in their environment.</summary>
internal static class TaskqProcess
{
    /// <summary>The CLI as built next to this test assembly (the project reference copies it there).</summary>
    public static string TaskqDll => Path.Combine(AppContext.BaseDirectory, "taskq.dll");

    /// <summary>The test task assembly, for <c>--assembly</c>.</summary>
    public static string TestTasksDll => typeof(TestTasks.ProcessTasks).Assembly.Location;

    /// <summary>Starts <c>taskq ARGS</c> with <c>TASKQ_URL</c> and <c>TASKQ_PREFIX</c> set.</summary>
    public static ChildProcess Start(TestBroker broker, string prefix, params string[] args) =>
        ChildProcess.Start("taskq", "dotnet", [TaskqDll, .. args],
            new Dictionary<string, string> { ["TASKQ_URL"] = broker.Url, ["TASKQ_PREFIX"] = prefix });
}
