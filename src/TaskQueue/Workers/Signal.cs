namespace TaskQueue.Workers;

/// <summary>An async auto-reset event: many <see cref="Set"/> calls before a wait wake it once.</summary>
internal sealed class Signal
{
    private TaskCompletionSource waiter = NewSource();

    public void Set() => Volatile.Read(ref waiter).TrySetResult();

    /// <summary>Waits until set or until <paramref name="timeout"/>; returns whether it was set. Resets either way.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref waiter);
        // A timeout is the idle worker's usual wake-up: it is not thrown (an exception every 2 s, each with its
        // stack trace captured), only cancellation is.
        await current.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        var set = current.Task.IsCompleted;
        // Only replace a completed source: a Set() racing this line lands on the new one and is not lost.
        if (set) Interlocked.CompareExchange(ref waiter, NewSource(), current);
        return set;
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
