using System.Diagnostics;
using TaskQueue.Tasks;

namespace TaskQueue.TestTasks;

/// <summary>Tasks for the process tests: ones that misbehave in ways only a real worker process can show.</summary>
public static class ProcessTasks
{
    /// <summary>Kills its own worker process with SIGKILL: the worker dies mid-job, every time (a poison pill).</summary>
    [Task("tests.kill_worker")]
    public static void KillWorker() => Process.GetCurrentProcess().Kill();

    /// <summary>RQ's <c>tasks.add</c> from <c>shared/reference/rq/tasks.py</c>, so jobs Python RQ wrote run here as they are.</summary>
    [Task("tasks.add")]
    public static int Add(int x, int y) => x + y;
}
