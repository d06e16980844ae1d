using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>The entry point of a child process that runs isolated jobs for a worker.</summary>
/// <remarks>
/// A worker with <see cref="WorkerOptions.Isolation"/> (or a task marked for it) starts children from its own command
/// line, with <see cref="Variable"/> set. The host's <c>Main</c> builds its services as usual, then hands over before
/// it runs anything:
/// <code>
/// using var host = builder.Build();
/// if (TaskQueueChild.IsChild()) return await TaskQueueChild.RunAsync(host.Services);
/// </code>
/// The child then has the same tasks and DI services as the worker, runs the jobs it is handed one at a time, and
/// exits when the worker closes its connection or dies. A host that runs its worker instead fails to start, with a
/// message saying so, rather than running a second worker.
/// </remarks>
public static class TaskQueueChild
{
    /// <summary>The environment variable that marks a child process and tells it where its worker listens.</summary>
    public const string Variable = "TASKQUEUE_CHILD";

    /// <summary>True when this process was started by a worker to run its isolated jobs.</summary>
    public static bool IsChild() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Runs the jobs the worker hands over until it closes the connection; returns the process's exit code.</summary>
    /// <param name="services">The host's services, with <c>AddTaskQueue(...).AddTasks(...).AddWorker(...)</c> as in the worker.</param>
    /// <param name="cancellationToken">Stops the child (it stops anyway when its worker goes away).</param>
    public static Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken = default) =>
        ChildHost.RunAsync(services, cancellationToken);
}
