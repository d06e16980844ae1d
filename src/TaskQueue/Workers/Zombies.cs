using Microsoft.Extensions.Logging;

namespace TaskQueue.Workers;

/// <summary>Jobs whose token fired but whose code did not return within the grace period: their outcome is recorded,
/// their code runs on, and each keeps its slot until it returns.</summary>
/// <remarks>
/// A task that ignores its <see cref="CancellationToken"/> (a CPU loop, a blocking call without a timeout) cannot be
/// stopped inside a process. Freeing its slot would let the worker start more jobs than its concurrency, every zombie
/// burning a thread or a core beside them; so it keeps its slot, and once the limit of zombies run at once (or
/// zombies hold every slot) the worker stops and exits with an error, for its supervisor to start a clean process,
/// as Sidekiq does. Process isolation avoids zombies: a child is killed instead.
/// </remarks>
internal sealed class Zombies(int limit, TimeSpan grace, ILogger logger, Action limitReached)
{
    private int reached;
    private int count;

    /// <summary>How many zombies run now.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Whether the limit was reached: the worker is on its way out.</summary>
    public bool LimitReached => Volatile.Read(ref reached) != 0;

    /// <summary>Declares <paramref name="job"/> a zombie until <paramref name="code"/> ends, then disposes it and calls
    /// <paramref name="freed"/>.</summary>
    /// <remarks>The one place a zombie is declared: a metric of zombies counts here.</remarks>
    public void Add(RunningJob job, Task code, Action freed)
    {
        var now = Interlocked.Increment(ref count);
        WorkerLog.Zombie(logger, job.Queue, job.Id, grace.TotalSeconds, job.Reason.ToString().ToLowerInvariant(), job.SinceCanceled.TotalSeconds,
            now, limit);
        if (now >= limit && Interlocked.Exchange(ref reached, 1) == 0)
        {
            WorkerLog.ZombieLimit(logger, now);
            limitReached();
        }
        code.ContinueWith((_, state) =>
        {
            var zombie = (RunningJob)state!;
            Interlocked.Decrement(ref count);
            WorkerLog.ZombieReturned(logger, zombie.Queue, zombie.Id, zombie.SinceCanceled.TotalSeconds);
            zombie.Dispose();
            freed();
        }, job, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}

/// <summary>Thrown by <see cref="Worker.RunAsync"/> when the worker stopped because of zombie jobs: its host should exit
/// with an error so that its supervisor restarts it.</summary>
public sealed class ZombieJobsException(int count)
    : Exception($"{count} job(s) ignored their cancellation and still run (zombies); the worker stopped so that its supervisor restarts it.")
{
    /// <summary>How many zombies ran when the worker stopped.</summary>
    public int Count { get; } = count;
}
