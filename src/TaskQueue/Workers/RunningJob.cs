using System.Diagnostics;

namespace TaskQueue.Workers;

/// <summary>Why a running job's token fired; decides what its outcome becomes.</summary>
internal enum CancelReason
{
    None,
    /// <summary>It ran past its timeout: failed (retry applies).</summary>
    Timeout,
    /// <summary><c>stop-job</c> command: stopped, no retry.</summary>
    Stopped,
    /// <summary><c>kill-horse</c> command: failed (retry applies).</summary>
    Killed,
    /// <summary>The worker is shutting down past its grace period: released back to the queue.</summary>
    Shutdown,
    /// <summary>Another worker rescued it after its lease expired: the outcome is dropped.</summary>
    LeaseLost,
}

/// <summary>A job this worker is running: its cancellation and why it was canceled.</summary>
internal sealed class RunningJob(string id, string queue) : IDisposable
{
    private int reason;
    private long canceledAt;

    public string Id { get; } = id;

    public string Queue { get; } = queue;

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>When the job times out, in <see cref="DateTimeOffset.UtcTicks"/>; <see cref="long.MaxValue"/> for never.</summary>
    /// <remarks>Set once by <see cref="JobDeadlines.Watch"/> before the job's task runs.</remarks>
    public long Deadline
    {
        get => Volatile.Read(ref deadline);
        set => Volatile.Write(ref deadline, value);
    }

    private long deadline = long.MaxValue;

    private Action? inline;

    /// <summary>Leaves the call of this job's synchronous method to the lane running its batch (see <see cref="SyncCalls"/>).</summary>
    public void RunInline(Action call) => inline = call;

    /// <summary>The synchronous call left by <see cref="RunInline"/>, once; null when there is none.</summary>
    public Action? TakeInline() => Interlocked.Exchange(ref inline, null);

    public CancelReason Reason => (CancelReason)Volatile.Read(ref reason);

    /// <summary>How long ago its token fired; zero when it has not.</summary>
    public TimeSpan SinceCanceled => Volatile.Read(ref canceledAt) is var at and not 0 ? Stopwatch.GetElapsedTime(at) : TimeSpan.Zero;

    /// <summary>Cancels the job for <paramref name="why"/>; the first reason wins.</summary>
    /// <remarks>The reason is set before the token fires, so whoever sees the cancellation also sees why.</remarks>
    public void Cancel(CancelReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)CancelReason.None) == (int)CancelReason.None)
        {
            Volatile.Write(ref canceledAt, Stopwatch.GetTimestamp());
            try { Cancellation.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    public void Dispose() => Cancellation.Dispose();
}
