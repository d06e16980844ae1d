using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>The worker's warm child processes: one per job running isolated at once, at most one per slot, started
/// ahead and kept between jobs; a child that was killed or died is replaced in the background.</summary>
/// <remarks>Starting a .NET process costs ~100-200 ms of CPU; a warm child costs a message each way per job
/// (README, "Process isolation", for the measured cost).</remarks>
internal sealed class ChildPool(Func<ChildCommand> command, int capacity, TimeSpan readyTimeout, int maxLineBytes, ILogger logger) : IAsyncDisposable
{
    private readonly Channel<Child> idle = Channel.CreateUnbounded<Child>();
    private readonly ConcurrentDictionary<Child, byte> all = new(ReferenceEqualityComparer.Instance);
    private readonly CancellationTokenSource closing = new();
    private readonly Lazy<string> folder = new(() => Directory.CreateTempSubdirectory("taskq-children-").FullName);
    private int count;
    private int sequence;

    /// <summary>Starts up to <paramref name="children"/> children in the background, within the capacity.</summary>
    public void Warm(int children)
    {
        for (var i = 0; i < children && TryReserve(); i++) _ = StartIdleAsync();
    }

    /// <summary>An idle child, or a new one when every child is busy and the pool is not full.</summary>
    /// <exception cref="ChildStartException">A new child could not be started.</exception>
    public async Task<Child> RentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (idle.Reader.TryRead(out var child))
            {
                if (child.IsAlive) return child;
                Discard(child);
                continue;
            }
            if (TryReserve())
            {
                try
                {
                    return Track(await StartAsync(cancellationToken));
                }
                catch
                {
                    Interlocked.Decrement(ref count);
                    throw;
                }
            }
            // Every child is busy or starting: one comes back when a job ends or a start completes. The second
            // clause re-checks the capacity in case a start failed meanwhile.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromSeconds(1));
            try { await idle.Reader.WaitToReadAsync(wait.Token); }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
        }
    }

    /// <summary>A child back from a job it ended normally: ready for the next.</summary>
    public void Return(Child child)
    {
        if (!idle.Writer.TryWrite(child)) Discard(child);
    }

    /// <summary>A child that was killed, died or broke the protocol: gone, and another started for the next job.</summary>
    public void Replace(Child child)
    {
        Discard(child);
        Warm(1);
    }

    private bool TryReserve()
    {
        while (true)
        {
            var now = Volatile.Read(ref count);
            if (now >= capacity || closing.IsCancellationRequested) return false;
            if (Interlocked.CompareExchange(ref count, now + 1, now) == now) return true;
        }
    }

    private async Task StartIdleAsync()
    {
        try
        {
            Return(Track(await StartAsync(closing.Token)));
        }
        catch (Exception e) when (e is ChildStartException or OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            Interlocked.Decrement(ref count);
            if (!closing.IsCancellationRequested) WorkerLog.ChildStartFailed(logger, e.Message);
        }
    }

    private Task<Child> StartAsync(CancellationToken cancellationToken)
    {
        ChildCommand start;
        try
        {
            start = command();
        }
        catch (InvalidOperationException e)
        {
            throw new ChildStartException(e.Message);
        }
        var socket = Path.Combine(folder.Value, $"c{Interlocked.Increment(ref sequence)}.sock");
        return Child.StartAsync(start, socket, readyTimeout, maxLineBytes, cancellationToken);
    }

    private Child Track(Child child)
    {
        all[child] = 0;
        return child;
    }

    private void Discard(Child child)
    {
        if (all.TryRemove(child, out _)) Interlocked.Decrement(ref count);
        _ = child.DisposeAsync().AsTask();
    }

    /// <summary>Closes every child (each exits when its connection closes, or is killed) and removes the sockets' folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await closing.CancelAsync();
        idle.Writer.TryComplete();
        await Task.WhenAll(all.Keys.Select(c => c.DisposeAsync().AsTask()));
        all.Clear();
        if (folder.IsValueCreated)
        {
            try { Directory.Delete(folder.Value, recursive: true); }
            catch (IOException) { }
        }
        closing.Dispose();
    }
}
