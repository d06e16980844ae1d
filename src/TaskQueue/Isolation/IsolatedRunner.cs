using Microsoft.Extensions.Logging;
using TaskQueue.Jobs;
using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>Runs a job in a child process from the pool: hands it over, passes its cancellation on, and kills the
/// child when the job has not returned within the grace after its token fired.</summary>
/// <remarks>A child that was killed, died or broke the protocol fails only its own job, with a readable reason (RQ's
/// <c>JobTimeoutException</c> text on a timeout), and is replaced. The job's callbacks then run in the worker.</remarks>
internal sealed class IsolatedRunner(ChildPool pool, JobRunner runner, JobDeadlines deadlines, string workerName, TimeSpan grace, TimeProvider time, ILogger logger)
{
    /// <summary>Runs <paramref name="prepared"/> in a child; its timeout runs from when a child has it, so a child that is
    /// still starting does not eat into it.</summary>
    public async Task<JobOutcome?> RunAsync(PreparedJob prepared, RunningJob running)
    {
        var job = prepared.Job;
        Child child;
        try
        {
            child = await pool.RentAsync(running.Cancellation.Token);
        }
        catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
        {
            return await runner.EndAsync(prepared, running.Reason, "canceled");
        }
        catch (Exception e) when (e is ChildStartException or IOException or System.Net.Sockets.SocketException)
        {
            WorkerLog.ChildFailed(logger, job.Queue, job.Id, e.Message);
            return await runner.EndAsync(prepared, running.Reason, $"ChildProcessError: no child process to run the job: {e.Message}");
        }

        deadlines.Watch(running, prepared.Timeout);
        var run = await child.RunAsync(job, workerName, running, grace, time);
        switch (run.End)
        {
            case ChildEnd.Replied:
                pool.Return(child);
                return run.Outcome!.ToOutcome(job);
            case ChildEnd.Killed:
                WorkerLog.ChildKilled(logger, job.Queue, job.Id, running.Reason.ToString().ToLowerInvariant(), grace.TotalSeconds, child.Pid);
                pool.Replace(child);
                return await runner.EndAsync(prepared, running.Reason, "killed");
            default:
                WorkerLog.ChildFailed(logger, job.Queue, job.Id, run.Error!);
                pool.Replace(child);
                return await runner.EndAsync(prepared, running.Reason, run.Error!);
        }
    }
}
