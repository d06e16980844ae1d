using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

/// <summary>Wakes an idle worker the moment a job lands in one of its queues, instead of polling.</summary>
/// <remarks>
/// Each queue gets a dedicated connection blocked in <c>BLMOVE q q RIGHT RIGHT</c>: it pops the last id and
/// pushes it straight back, so the list is unchanged and nothing can be lost, but the call returns as soon
/// as the list is non-empty. Works the same for jobs pushed by Python RQ producers. The blocking calls only
/// run while the worker wants jobs (<see cref="Want"/>), so a busy worker does not spin on a full queue.
/// </remarks>
internal sealed class JobWaiter : IAsyncDisposable
{
    private static readonly TimeSpan BlockFor = TimeSpan.FromSeconds(2);

    private readonly List<IConnectionMultiplexer> connections = [];
    private readonly List<Task> loops = [];
    private readonly CancellationTokenSource stop = new();
    private volatile TaskCompletionSource wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlySet<string> skipped = new HashSet<string>();

    private JobWaiter() { }

    /// <summary>Starts one blocking loop per queue; <paramref name="onJob"/> runs when a queue has a job.</summary>
    /// <remarks>Each loop opens its connection in the background: a worker starts with queued jobs far more often
    /// than with empty queues, and its first fetch should not wait for a connection it needs only once the queues
    /// run dry (a connection's handshake is several round trips). Until a loop is connected, the worker's own
    /// idle wait is the fallback, as after a broken connection.</remarks>
    public static JobWaiter Start(RedisConnection redis, RedisKeys keys, IReadOnlyList<string> queues, Action onJob)
    {
        var waiter = new JobWaiter();
        foreach (var queue in queues) waiter.loops.Add(Task.Run(() => waiter.LoopAsync(redis, queue, keys.Queue(queue), onJob)));
        return waiter;
    }

    /// <summary>The worker has free slots and found no job: block on the queues until one arrives, except on
    /// <paramref name="skipped"/> (paused, or held back by their limits), whose jobs would wake it at once and be passed
    /// over again: the worker's own timed wait comes back to those.</summary>
    public void Want(IReadOnlySet<string> skipped)
    {
        this.skipped = skipped;
        wanted.TrySetResult();
    }

    /// <summary>The worker is busy: stop blocking after the current call.</summary>
    public void Satisfied()
    {
        if (wanted.Task.IsCompleted) wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task LoopAsync(RedisConnection redis, string queue, string queueKey, Action onJob)
    {
        IDatabase? database = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                database ??= await ConnectAsync(redis);
                await wanted.Task.WaitAsync(stop.Token);
                if (skipped.Contains(queue))
                {
                    // The worker's own idle wait sees the queue resumed or its limit lifted; this loop only stays out of its way.
                    await Task.Delay(BlockFor, stop.Token);
                    continue;
                }
                var id = await database.ExecuteAsync("BLMOVE", queueKey, queueKey, "RIGHT", "RIGHT", BlockFor.TotalSeconds);
                if (!id.IsNull) onJob();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // No connection yet, or a broken one: the worker still polls on its own, so just back off and try again.
                try { await Task.Delay(TimeSpan.FromSeconds(1), stop.Token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task<IDatabase> ConnectAsync(RedisConnection redis)
    {
        var connection = await redis.ConnectDedicatedAsync(stop.Token);
        lock (connections) connections.Add(connection);
        return connection.GetDatabase();
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        // Closing the connections ends the blocked calls at once; a loop still connecting adds its connection after,
        // so the list is closed again once every loop has returned.
        await CloseConnectionsAsync();
        try { await Task.WhenAll(loops); }
        catch (Exception) { }
        await CloseConnectionsAsync();
        stop.Dispose();
    }

    private async Task CloseConnectionsAsync()
    {
        IConnectionMultiplexer[] open;
        lock (connections)
        {
            open = [.. connections];
            connections.Clear();
        }
        foreach (var connection in open) await connection.DisposeAsync();
    }
}
