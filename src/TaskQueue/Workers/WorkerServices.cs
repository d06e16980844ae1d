using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TaskQueue.Connection;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Tasks;
using TaskQueue.Telemetry;

namespace TaskQueue.Workers;

/// <summary>What a worker takes from its host, registered by <c>AddWorker</c>: the broker and its stores, the tasks
/// and the DI scopes they run in, the cron schedule, the clock, logging and metrics.</summary>
/// <remarks>A worker builds only what is its own (its executor, scheduler and name); everything shared comes in here,
/// as Hangfire's worker gets what it needs through its constructor.</remarks>
internal sealed class WorkerServices(
    BrokerConnection broker, WorkerStore store, SchedulerStore schedulerStore, JobStore jobs, TaskRegistry tasks, CronSchedule cron,
    IServiceScopeFactory scopes, IOptions<TaskQueueOptions> options, TimeProvider time, ILoggerFactory logging,
    TaskQueueMetrics metrics, IServiceProviderIsService? isService = null, WorkerHeartbeats? heartbeats = null)
{
    public BrokerConnection Broker { get; } = broker;

    public WorkerStore Store { get; } = store;

    public SchedulerStore SchedulerStore { get; } = schedulerStore;

    public JobStore Jobs { get; } = jobs;

    public TaskRegistry Tasks { get; } = tasks;

    public CronSchedule Cron { get; } = cron;

    /// <summary>Each job's own scope; <see cref="IsService"/> tells binding which parameters are services without one.</summary>
    public IServiceScopeFactory Scopes { get; } = scopes;

    public IServiceProviderIsService? IsService { get; } = isService;

    public TaskQueueOptions Options { get; } = options.Value;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logging.CreateLogger("TaskQueue.Worker");

    public TaskQueueMetrics Metrics { get; } = metrics;

    /// <summary>The health check's record of this process's workers, when the host registered it.</summary>
    public WorkerHeartbeats? Heartbeats { get; } = heartbeats;
}
