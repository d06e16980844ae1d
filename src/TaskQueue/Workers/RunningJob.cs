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

    public string Id { get; } = id;

    public string Queue { get; } = queue;

    public CancellationTokenSource Cancellation { get; } = new();

    public CancelReason Reason => (CancelReason)Volatile.Read(ref reason);

    /// <summary>Cancels the job for <paramref name="why"/>; the first reason wins.</summary>
    public void Cancel(CancelReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)CancelReason.None) == (int)CancelReason.None)
        {
            try { Cancellation.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    public void Dispose() => Cancellation.Dispose();
}
