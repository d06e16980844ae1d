using Microsoft.Extensions.Logging;

namespace TaskQueue.Workers;

/// <summary>The worker's log lines, worded as RQ's so its users recognise them.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(LogLevel.Information, "Worker {Worker} started with PID {Pid}, version {Version}; listening on {Queues}, concurrency {Concurrency}")]
    public static partial void Started(ILogger logger, string worker, int pid, string version, string queues, int concurrency);

    [LoggerMessage(LogLevel.Information, "{Queue}: {Description} ({JobId})")]
    public static partial void JobStarting(ILogger logger, string queue, string description, string jobId);

    [LoggerMessage(LogLevel.Information, "{Queue}: Job OK ({JobId})")]
    public static partial void JobOk(ILogger logger, string queue, string jobId);

    [LoggerMessage(LogLevel.Information, "Result is kept for {Seconds} seconds")]
    public static partial void ResultKept(ILogger logger, long seconds);

    [LoggerMessage(LogLevel.Information, "Result will never expire, clean up result key manually")]
    public static partial void ResultKeptForever(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Result discarded immediately")]
    public static partial void ResultDiscarded(ILogger logger);

    [LoggerMessage(LogLevel.Error, "{Queue}: Job failed ({JobId}): {Reason}")]
    public static partial void JobFailed(ILogger logger, string queue, string jobId, string reason);

    [LoggerMessage(LogLevel.Warning, "{Queue}: Job {JobId} will be retried ({Status})")]
    public static partial void JobRetrying(ILogger logger, string queue, string jobId, string status);

    [LoggerMessage(LogLevel.Warning, "{Queue}: Job stopped ({JobId})")]
    public static partial void JobStopped(ILogger logger, string queue, string jobId);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} is no longer this worker's (its lease expired and another worker took it); its outcome is dropped")]
    public static partial void JobLost(ILogger logger, string jobId);

    [LoggerMessage(LogLevel.Warning, "Dropped {Count} queued id(s) whose job no longer exists (its TTL expired, or it was deleted)")]
    public static partial void Dropped(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "Dropped {Count} queue entr(ies) whose job is no longer queued (canceled, or started from another entry of its id)")]
    public static partial void DroppedNotQueued(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Job {JobId} was abandoned by its worker; {Outcome}")]
    public static partial void Abandoned(ILogger logger, string jobId, string outcome);

    [LoggerMessage(LogLevel.Information, "Queue {Queue} is paused; its jobs wait for `taskq resume {Queue}`")]
    public static partial void QueuePaused(ILogger logger, string queue);

    [LoggerMessage(LogLevel.Debug, "Queue {Queue} is at its limit; trying it again in {Milliseconds} ms")]
    public static partial void QueueThrottled(ILogger logger, string queue, double milliseconds);

    [LoggerMessage(LogLevel.Information, "Worker is suspended; waiting for `resume`")]
    public static partial void Suspended(ILogger logger);

    [LoggerMessage(LogLevel.Information, "Warm shut down requested: finishing {Count} running job(s) within {Seconds} s; a second signal stops at once")]
    public static partial void Stopping(ILogger logger, int count, double seconds);

    [LoggerMessage(LogLevel.Warning, "Cold shut down: re-queued {Count} unfinished job(s)")]
    public static partial void Released(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "Worker {Worker}: done, quitting ({Reason})")]
    public static partial void Quitting(ILogger logger, string worker, string reason);

    [LoggerMessage(LogLevel.Information, "Received command {Command} for {JobId}")]
    public static partial void Command(ILogger logger, string command, string? jobId);

    [LoggerMessage(LogLevel.Information, "{Queue}: Job {JobId}'s outcome was recorded by an earlier call whose reply was lost")]
    public static partial void RecordedEarlier(ILogger logger, string queue, string jobId);

    [LoggerMessage(LogLevel.Error, "Job {JobId} cannot run and was failed without running: {Reason}")]
    public static partial void JobUnrunnable(ILogger logger, string jobId, string reason);

    [LoggerMessage(LogLevel.Error, "Queue entry {JobId} was dropped: its job key holds something other than a hash")]
    public static partial void JobKeyWrongType(ILogger logger, string jobId);

    [LoggerMessage(LogLevel.Error, "Queue {Queue} was not read: its key holds something other than a list")]
    public static partial void QueueKeyWrongType(ILogger logger, string queue);

    [LoggerMessage(LogLevel.Error, "Recording the outcomes of {Count} job(s) failed in the script; sending them one by one: {Reason}")]
    public static partial void ScriptFailed(ILogger logger, int count, string reason);

    [LoggerMessage(LogLevel.Error, "Fetching jobs failed in the script: {Reason}")]
    public static partial void FetchFailed(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Error, "The outcome of job {JobId} cannot be recorded and is dropped; its lease will lapse and the sweep will re-run or fail it: {Reason}")]
    public static partial void OutcomeUnrecordable(ILogger logger, string jobId, string reason);

    [LoggerMessage(LogLevel.Warning, "Put back {Count} job(s) started by a call whose reply was lost")]
    public static partial void Reclaimed(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Broker call failed, retrying in {Seconds} s: {Reason}")]
    public static partial void BrokerError(ILogger logger, double seconds, string reason);

    [LoggerMessage(LogLevel.Warning, "{Queue}: Job {JobId} did not return within {Grace} s of its {Reason} and still runs, {Overrun:0.#} s after it: " +
                                     "a zombie, holding its slot until it returns ({Count} zombie(s) now; the worker restarts at {Limit})")]
    public static partial void Zombie(ILogger logger, string queue, string jobId, double grace, string reason, double overrun, int count, int limit);

    [LoggerMessage(LogLevel.Information, "{Queue}: Zombie job {JobId} returned {Seconds:0.#} s after its cancellation; its slot is free")]
    public static partial void ZombieReturned(ILogger logger, string queue, string jobId, double seconds);

    [LoggerMessage(LogLevel.Error, "{Count} zombie job(s) run at once: the worker stops taking jobs and exits with an error, for its supervisor to restart it")]
    public static partial void ZombieLimit(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "{Queue}: Job {JobId} ignored its {Reason} for {Grace} s: its child process (pid {Pid}) was killed")]
    public static partial void ChildKilled(ILogger logger, string queue, string jobId, string reason, double grace, int pid);

    [LoggerMessage(LogLevel.Error, "{Queue}: Job {JobId}'s child process failed: {Reason}")]
    public static partial void ChildFailed(ILogger logger, string queue, string jobId, string reason);

    [LoggerMessage(LogLevel.Error, "A child process for isolated jobs could not be started: {Reason}")]
    public static partial void ChildStartFailed(ILogger logger, string reason);
}
