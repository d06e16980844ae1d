using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using TaskQueue.Tasks;

namespace TaskQueue.Workers;

/// <summary>Starts a job's synchronous task method: inline while that task has been fast, else on a pool thread of
/// its own.</summary>
/// <remarks>
/// Inline means: the call is left on the job's <see cref="RunningJob"/> and made by the lane running the job's batch
/// (<see cref="JobBatches"/>) as soon as the job has started waiting for it, so a fast job finishes on that thread
/// without a hop; a pool task per job cost a thread wake-up per job, the largest share of a small job's cost. A task
/// that ran slow once goes to pool threads for its next 16 runs, so it does not hold up the jobs queued behind it in
/// a batch (and the lanes' stall check covers the slow run of a task that used to be fast). Either way the job waits
/// on the returned task with its token, so a method that ignores its token is seen at its timeout while it keeps its
/// thread until it returns.
/// </remarks>
internal sealed class SyncCalls(bool inline)
{
    /// <summary>A synchronous run longer than this sends the task's next runs to pool threads of their own.</summary>
    private static readonly TimeSpan SlowRun = TimeSpan.FromMilliseconds(1);

    /// <summary>Per task, how many more runs go to a pool thread of their own; a task not in here runs inline.</summary>
    private readonly ConcurrentDictionary<TaskDescriptor, StrongBox<int>> dispatched = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether any task has run slow yet: until then no job looks itself up (the usual case, measured by the bench).</summary>
    private volatile bool anySlow;

    /// <summary>Starts <paramref name="invoke"/>, the call of <paramref name="task"/>'s method for <paramref name="running"/>.</summary>
    public Task<object?> Start(TaskDescriptor task, Func<Task<object?>> invoke, RunningJob running)
    {
        if (!inline || !RunsInline(task)) return Task.Run(() => Timed(task, invoke));
        // Continuations run synchronously: the rest of the job carries on on the thread that made the call.
        var invocation = new TaskCompletionSource<object?>();
        // The lane makes the call outside the job's async flow: it takes the job's span along, so that spans the
        // method starts are children of its run (nothing to carry, and nothing done, when no span is traced).
        var span = Activity.Current;
        running.RunInline(() =>
        {
            var outer = Activity.Current;
            if (span != outer) Activity.Current = span;
            try
            {
                var done = Timed(task, invoke);
                if (done.IsCompletedSuccessfully) invocation.TrySetResult(done.Result);
                else if (done.IsFaulted) invocation.TrySetException(done.Exception!.InnerExceptions);
                else invocation.TrySetCanceled();
            }
            finally
            {
                if (span != outer) Activity.Current = outer;
            }
        });
        return invocation.Task;
    }

    private bool RunsInline(TaskDescriptor task) => !anySlow || !dispatched.TryGetValue(task, out var runs) || Volatile.Read(ref runs.Value) <= 0;

    private Task<object?> Timed(TaskDescriptor task, Func<Task<object?>> invoke)
    {
        var started = Stopwatch.GetTimestamp();
        var done = invoke();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > SlowRun)
        {
            Volatile.Write(ref dispatched.GetOrAdd(task, static _ => new StrongBox<int>()).Value, 16);
            anySlow = true;
        }
        else if (anySlow && dispatched.TryGetValue(task, out var runs) && Volatile.Read(ref runs.Value) > 0)
        {
            Interlocked.Decrement(ref runs.Value);
        }
        return done;
    }
}
