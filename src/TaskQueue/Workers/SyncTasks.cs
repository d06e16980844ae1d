using System.Diagnostics;
using TaskQueue.Tasks;

namespace TaskQueue.Workers;

/// <summary>Starts a job's synchronous task method: inline when it has been fast, else on a pool thread of its own.</summary>
/// <remarks>
/// Inline means: the call is left on the job's <see cref="RunningJob"/> and made by the thread running the job's
/// batch as soon as the job has started waiting for it (Worker.Batch), so a fast job finishes on that thread
/// without a hop. The job waits on the returned task with its token either way, so a method that overruns its
/// timeout and ignores the token is failed at the timeout (on the thread that cancels it) while the method
/// keeps its thread until it returns, exactly as with a pool task.
/// </remarks>
internal static class SyncTasks
{
    public static Task<object?> Start(TaskDescriptor task, Func<Task<object?>> invoke, RunningJob running)
    {
        if (!task.RunsInline) return Task.Run(() => Timed(task, invoke));
        // Continuations run synchronously: the rest of the job carries on on the thread that made the call.
        var invocation = new TaskCompletionSource<object?>();
        // The batch's thread makes the call outside the job's async flow: it takes the job's span along, so that spans
        // the method starts are children of its run (nothing to carry, and nothing done, when no span is traced).
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

    private static Task<object?> Timed(TaskDescriptor task, Func<Task<object?>> invoke)
    {
        var started = Stopwatch.GetTimestamp();
        var done = invoke();
        task.RecordSyncRun(Stopwatch.GetElapsedTime(started));
        return done;
    }
}
