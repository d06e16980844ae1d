namespace TaskQueue.Jobs;

/// <summary>An enqueue chose job ids that live jobs hold, and its <see cref="OnConflict"/> did not let it take them
/// (<see cref="OnConflict.Reject"/>, or <see cref="OnConflict.Replace"/> of a started job). Nothing was written for them.</summary>
/// <remarks>From <c>EnqueueManyAsync</c>, after the other jobs of the call were enqueued.</remarks>
public sealed class JobConflictException(IReadOnlyList<JobConflict> conflicts) : InvalidOperationException(Describe(conflicts))
{
    /// <summary>The ids that were not enqueued, and the status of the job holding each.</summary>
    public IReadOnlyList<JobConflict> Conflicts { get; } = conflicts;

    private static string Describe(IReadOnlyList<JobConflict> conflicts)
    {
        var first = conflicts[0];
        var why = first.Status == JobStatus.Started && first.OnConflict == OnConflict.Replace
            ? "is running, and a started job is never replaced"
            : $"is {first.Status.ToRq()} (OnConflict = {first.OnConflict})";
        var more = conflicts.Count > 1 ? $" ({conflicts.Count - 1} more id(s) refused as well)" : "";
        return $"Job {first.JobId} {why}; nothing was enqueued under its id{more}.";
    }
}

/// <summary>A chosen job id a live job holds: the id, that job's status, and the choice the enqueue made.</summary>
public sealed record JobConflict(string JobId, JobStatus Status, OnConflict OnConflict);
