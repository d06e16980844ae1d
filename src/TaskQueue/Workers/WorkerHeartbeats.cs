using System.Collections.Concurrent;

namespace TaskQueue.Workers;

/// <summary>The workers running in this process and when each last heartbeated successfully, for the health check.</summary>
/// <remarks>A worker enters when it has registered, beats after every heartbeat the broker acknowledged, and leaves
/// when it stops. Nothing here is read by the worker itself.</remarks>
internal sealed class WorkerHeartbeats
{
    private readonly ConcurrentDictionary<string, WorkerBeatRecord> workers = new();

    /// <summary>Records a successful registration or heartbeat of <paramref name="worker"/>.</summary>
    public void Beat(string worker, TimeSpan interval, DateTimeOffset at) => workers[worker] = new WorkerBeatRecord(worker, interval, at);

    /// <summary>Forgets a worker that stopped.</summary>
    public void Remove(string worker) => workers.TryRemove(worker, out _);

    /// <summary>The running workers, each with its interval and its last successful heartbeat.</summary>
    public IReadOnlyList<WorkerBeatRecord> Snapshot() => [.. workers.Values];
}

/// <summary>A worker of this process, its heartbeat interval and when it last heartbeated successfully.</summary>
internal sealed record WorkerBeatRecord(string Worker, TimeSpan Interval, DateTimeOffset LastBeat);
