using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

/// <summary>Tells workers what to do from any process: suspend, resume, stop a job, shut down.</summary>
/// <remarks>Uses RQ's keys and channels, so RQ's own workers obey it too, and <c>rq suspend</c> reaches ours.</remarks>
public sealed class WorkerControl(BrokerConnection broker, IOptions<TaskQueueOptions> options)
{
    private readonly RedisKeys keys = new(options.Value.KeyPrefix);

    /// <summary>Workers finish what they run and take no new jobs until <see cref="ResumeAsync"/>.</summary>
    public async Task SuspendAsync(TimeSpan? duration = null, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        await redis.Database.StringSetAsync(keys.Suspended, 1, duration is { } ttl ? new Expiration(ttl) : Expiration.Default);
    }

    public async Task ResumeAsync(CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        await redis.Database.KeyDeleteAsync(keys.Suspended);
    }

    public async Task<bool> IsSuspendedAsync(CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return await redis.Database.KeyExistsAsync(keys.Suspended);
    }

    /// <summary>Asks the worker running <paramref name="jobId"/> to stop it (the job ends <c>stopped</c>).</summary>
    /// <returns>False when the job is not running on any worker.</returns>
    public async Task<bool> StopJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        var job = await redis.Database.HashGetAsync(keys.Job(jobId), ["status", "worker_name"]);
        if (job[0] != "started" || job[1].IsNullOrEmpty) return false;
        return await SendAsync(job[1].ToString(), new WorkerCommand(WorkerCommand.StopJob, jobId), cancellationToken) > 0;
    }

    /// <summary>Sends a command to one worker; returns how many subscribers heard it (0: no such live worker).</summary>
    public async Task<long> SendAsync(string workerName, WorkerCommand command, CancellationToken cancellationToken = default)
    {
        var redis = await broker.GetAsync(cancellationToken);
        return await redis.Database.PublishAsync(RedisChannel.Literal(keys.WorkerCommands(workerName)), command.ToJson());
    }
}
