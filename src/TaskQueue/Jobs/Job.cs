using System.Text.Json;
using TaskQueue.Queues;
using TaskQueue.Storage;

namespace TaskQueue.Jobs;

/// <summary>A handle on one job: read its state and result, wait for it, cancel or requeue it.</summary>
/// <remarks>The handle holds only the id; every call reads the current state from the broker.</remarks>
public sealed class Job
{
    private readonly JobStore store;
    private readonly JsonSerializerOptions json;

    /// <summary>Set when this handle enqueued the job with <c>ResultTtl = 0</c>: its hash is deleted the moment it finishes.</summary>
    private readonly bool resultDiscarded;

    internal Job(string id, JobStatus? enqueuedAs, JobStore store, JsonSerializerOptions json, bool resultDiscarded = false,
        JobStatus? existingStatus = null)
    {
        Id = id;
        EnqueuedAs = enqueuedAs;
        ExistingStatus = existingStatus;
        this.store = store;
        this.json = json;
        this.resultDiscarded = resultDiscarded;
    }

    public string Id { get; }

    /// <summary>The status the job got when this handle enqueued it (queued, deferred or scheduled); null for a looked-up job,
    /// and for a live job this call found under its id and left alone (<see cref="ExistingStatus"/>).</summary>
    public JobStatus? EnqueuedAs { get; }

    /// <summary>The status of the live job an enqueue with <see cref="OnConflict.ReturnExisting"/> found under the chosen id
    /// and left as it was (queued, deferred, scheduled or started); null when the call enqueued a job.</summary>
    public JobStatus? ExistingStatus { get; }

    /// <summary>The job as stored now; null when it no longer exists (its TTL expired, or it was deleted).</summary>
    public Task<JobInfo?> GetInfoAsync(CancellationToken cancellationToken = default) => store.GetAsync(Id, cancellationToken);

    /// <summary>The job's status now; null when it no longer exists.</summary>
    public Task<JobStatus?> GetStatusAsync(CancellationToken cancellationToken = default) => store.GetStatusAsync(Id, cancellationToken);

    /// <summary>The job's result, or default when it has none (yet).</summary>
    public async Task<T?> GetResultAsync<T>(CancellationToken cancellationToken = default)
    {
        var info = await GetInfoAsync(cancellationToken);
        return info?.ResultJson is { } text ? JsonSerializer.Deserialize<T>(text, json) : default;
    }

    /// <summary>Waits until the job has finished and returns its result.</summary>
    /// <remarks>A job this handle enqueued with <c>ResultTtl = 0</c> is deleted the moment it finishes (RQ's rule), so it
    /// cannot be seen finished: once it is gone this returns default, the result it was asked not to keep. A failed,
    /// stopped or canceled job is kept whatever its <c>ResultTtl</c>, so gone means it finished, unless someone deleted
    /// it (<c>taskq empty</c>, by hand) or its <c>Ttl</c> ran out while it waited, which read the same. A handle from
    /// <see cref="TaskQueueClient.Job"/> knows no <c>ResultTtl</c>: for it, gone throws.</remarks>
    /// <exception cref="JobFailedException">The job failed, was stopped or canceled, or no longer exists.</exception>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/>.</exception>
    public async Task<T?> WaitForResultAsync<T>(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var info = await WaitCoreAsync(timeout, cancellationToken);
        if (info is null) return default;
        if (info.Status != JobStatus.Finished)
        {
            throw new JobFailedException(Id, info.Status, info.ExcInfo);
        }
        return info.ResultJson is { } text ? JsonSerializer.Deserialize<T>(text, json) : default;
    }

    /// <summary>Waits until the job reaches a final state (finished, failed, stopped or canceled) and returns it.</summary>
    /// <exception cref="JobFailedException">The job no longer exists.</exception>
    /// <exception cref="TimeoutException">It did not end within <paramref name="timeout"/>.</exception>
    public async Task<JobInfo> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        await WaitCoreAsync(timeout, cancellationToken) ?? throw new JobFailedException(Id, null,
            "the job no longer exists: enqueued with ResultTtl 0, it was deleted as it finished (WaitForResultAsync reads that as success)");

    /// <summary>As <see cref="WaitAsync"/>; null when a job whose result is discarded is gone (see <see cref="WaitForResultAsync"/>).</summary>
    private async Task<JobInfo?> WaitCoreAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        // Start polling fast (most jobs are short) and back off so a long job costs little.
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var status = await GetStatusAsync(cancellationToken);
            if (status is null)
            {
                if (resultDiscarded) return null;
                throw new JobFailedException(Id, null, "the job no longer exists (its TTL expired, or it was deleted)");
            }
            if (status.Value.IsFinal())
            {
                var info = await GetInfoAsync(cancellationToken);
                if (info is null && resultDiscarded) return null;
                return info ?? throw new JobFailedException(Id, null, "the job expired as it ended");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Job {Id} is still {status.Value.ToRq()} after {timeout.TotalSeconds:0.###} s.");
            await Task.Delay(pause < left ? pause : left, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Cancels the job if it has not started; returns whether it was canceled.</summary>
    public async Task<bool> CancelAsync(CancellationToken cancellationToken = default) => (await store.CancelAsync(Id, cancellationToken)).Canceled;

    /// <summary>Puts a failed, stopped or canceled job back on its queue; returns whether it was requeued.</summary>
    public async Task<bool> RequeueAsync(CancellationToken cancellationToken = default) =>
        (await store.RequeueAsync([Id], cancellationToken: cancellationToken)).Single().Requeued;

    public override string ToString() => Id;
}

/// <summary>A job did not finish: it failed, was stopped or canceled, or is gone.</summary>
public sealed class JobFailedException(string jobId, JobStatus? status, string? excInfo)
    : Exception($"Job {jobId} {(status is { } s ? "ended " + s.ToRq() : "is gone")}{(excInfo is null ? "" : ": " + FirstLine(excInfo))}")
{
    public string JobId { get; } = jobId;

    /// <summary>The job's final status; null when the job no longer exists.</summary>
    public JobStatus? Status { get; } = status;

    /// <summary>The job's failure text, when it has one.</summary>
    public string? ExcInfo { get; } = excInfo;

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
