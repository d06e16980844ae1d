namespace TaskQueue.Tasks;

/// <summary>Marks a method as a task and gives it the stable name jobs refer to it by.</summary>
/// <remarks>
/// The name, not the CLR type, is what is stored in Redis, so renaming or moving the method does not
/// strand queued jobs, and a Python RQ producer can enqueue it by the same name.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskAttribute(string name) : Attribute
{
    /// <summary>The stable task name, e.g. <c>dundie.tasks.user.send_email</c>.</summary>
    public string Name { get; } = name;

    /// <summary><see cref="TaskIsolation.Process"/> runs this task's jobs in a child process, killed on timeout or
    /// stop-job, even on a worker that runs other jobs in its own process.</summary>
    public TaskIsolation Isolation { get; set; }
}

/// <summary>Where a job's code runs.</summary>
public enum TaskIsolation
{
    /// <summary>In the worker's process, as an async task: no cost per job, but a job that ignores its cancellation
    /// token cannot be stopped (it becomes a zombie that holds its slot).</summary>
    None,

    /// <summary>In a warm child process, one job at a time: killed when the job overruns its timeout or is stopped.</summary>
    Process,
}
