namespace TaskQueue.Jobs;

/// <summary>Options for one enqueued job, named as RQ names them. Everything is optional.</summary>
public sealed record EnqueueOptions
{
    /// <summary>The job id; a new unique 20-character id when null. An id a live job holds is a conflict (see
    /// <see cref="OnConflict"/>); the id of a job that has ended is taken over, and the new job starts clean.</summary>
    public string? JobId { get; init; }

    /// <summary>What to do when <see cref="JobId"/> belongs to a live job (queued, deferred, scheduled or started):
    /// replace it unless it has started (the default), reject the new one, or return the live one.</summary>
    public OnConflict OnConflict { get; init; } = OnConflict.Replace;

    /// <summary>Shown in logs and monitoring; the call itself (<c>task(args)</c>) when null.</summary>
    public string? Description { get; init; }

    /// <summary>How long the job may run before it is canceled and failed (default 180 s; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> for none).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long the finished job and its result are kept (default 500 s; zero deletes at once; <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> keeps forever).</summary>
    public TimeSpan? ResultTtl { get; init; }

    /// <summary>How long the job may wait in its queue before it is dropped unrun.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>How long a failed job is kept (default one year).</summary>
    public TimeSpan? FailureTtl { get; init; }

    /// <summary>Put the job at the front of its queue.</summary>
    public bool AtFront { get; init; }

    /// <summary>Free-form data stored with the job as JSON.</summary>
    public IReadOnlyDictionary<string, object?>? Meta { get; init; }

    /// <summary>Job ids that must finish before this job is queued; until then it is deferred.</summary>
    public IReadOnlyList<string>? DependsOn { get; init; }

    /// <summary>Queue this job even when a dependency failed (RQ's <c>allow_dependency_failures</c>).</summary>
    public bool AllowDependencyFailures { get; init; }

    /// <summary>Retry policy for failures.</summary>
    public Retry? Retry { get; init; }

    /// <summary>Task name run after the job succeeds.</summary>
    public string? OnSuccess { get; init; }

    /// <summary>Task name run after the job fails.</summary>
    public string? OnFailure { get; init; }

    /// <summary>Task name run after the job is stopped.</summary>
    public string? OnStopped { get; init; }

    /// <summary>Run no earlier than this instant (the job is scheduled until then).</summary>
    public DateTimeOffset? EnqueueAt { get; init; }

    /// <summary>Run no earlier than this long from now.</summary>
    public TimeSpan? EnqueueIn { get; init; }
}
