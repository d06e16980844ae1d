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

    private JobWaiter() { }

    /// <summary>Opens one blocking connection per queue; <paramref name="onJob"/> runs when a queue has a job.</summary>
    public static async Task<JobWaiter> StartAsync(RedisConnection redis, RedisKeys keys, IReadOnlyList<string> queues, Action onJob,
        CancellationToken cancellationToken)
    {
        var waiter = new JobWaiter();
        foreach (var queue in queues)
        {
            var connection = await redis.ConnectDedicatedAsync(cancellationToken);
            waiter.connections.Add(connection);
            waiter.loops.Add(Task.Run(() => waiter.LoopAsync(connection.GetDatabase(), keys.Queue(queue), onJob)));
        }
        return waiter;
    }

    /// <summary>The worker has free slots and found no job: block on the queues until one arrives.</summary>
    public void Want() => wanted.TrySetResult();

    /// <summary>The worker is busy: stop blocking after the current call.</summary>
    public void Satisfied()
    {
        if (wanted.Task.IsCompleted) wanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private async Task LoopAsync(IDatabase database, string queueKey, Action onJob)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await wanted.Task.WaitAsync(stop.Token);
                var id = await database.ExecuteAsync("BLMOVE", queueKey, queueKey, "RIGHT", "RIGHT", BlockFor.TotalSeconds);
                if (!id.IsNull) onJob();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // A broken connection: the worker still polls on its own, so just back off and try again.
                try { await Task.Delay(TimeSpan.FromSeconds(1), stop.Token); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        foreach (var connection in connections) await connection.DisposeAsync();
        try { await Task.WhenAll(loops); }
        catch (Exception) { }
        stop.Dispose();
    }
}
