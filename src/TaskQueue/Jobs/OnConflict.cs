namespace TaskQueue.Jobs;

/// <summary>What an enqueue does when its chosen <see cref="EnqueueOptions.JobId"/> belongs to a live job (queued, deferred,
/// scheduled or started). A job that has ended (finished, failed, stopped, canceled) is history, never a conflict: the new
/// job takes the id and starts clean (its old result, registry entries and failure gone).</summary>
/// <remarks>
/// The job id is the uniqueness key: the job's own hash is the lock, checked and written in one script, so there is no
/// lock to release when the job ends (nor one an RQ worker, or a killed one, could leave held), and a job that uses none
/// of this costs nothing. A started job is never replaced and never run twice at once.
/// </remarks>
public enum OnConflict
{
    /// <summary>A job not started yet is replaced: its call, options, queue and due time become the new call's, in one
    /// step; it keeps its place when it stays queued on the same queue (not <see cref="EnqueueOptions.AtFront"/>). A
    /// started job is not replaced: the enqueue throws <see cref="JobConflictException"/>. With
    /// <see cref="EnqueueOptions.EnqueueIn"/> this debounces: the job runs once, that long after the last call, with its arguments.</summary>
    Replace,

    /// <summary>Nothing is written; the enqueue throws <see cref="JobConflictException"/>.</summary>
    Reject,

    /// <summary>Nothing is written; the enqueue returns a handle on the live job (<see cref="Job.ExistingStatus"/> says
    /// its status). With <see cref="EnqueueOptions.EnqueueIn"/> this throttles: the first call's job runs once the delay
    /// has passed, the calls meanwhile are dropped.</summary>
    ReturnExisting,
}
