using Microsoft.Extensions.Options;
using TaskQueue.Isolation;
using TaskQueue.Tasks;

namespace TaskQueue.Workers;

/// <summary>How a worker runs: which queues, how many jobs at once, and its timing.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "TaskQueue:Worker";

    /// <summary>Queues in strict priority order: a job is taken from a later queue only when the earlier ones are empty.</summary>
    public IList<string> Queues { get; set; } = ["default"];

    /// <summary>Jobs run at once, as async tasks in this process (no thread per job).</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>Exit once the queues are empty and running jobs are done.</summary>
    public bool Burst { get; set; }

    /// <summary>Exit after this many jobs; null for no limit.</summary>
    public int? MaxJobs { get; set; }

    /// <summary>Also run the scheduler: promote due scheduled jobs and enqueue periodic tasks.</summary>
    public bool WithScheduler { get; set; }

    /// <summary>The worker's name; host, pid and a random part when null.</summary>
    public string? Name { get; set; }

    /// <summary>How often the worker refreshes its registration and its jobs' leases.</summary>
    /// <remarks>
    /// A lease lasts 1.5 intervals and live workers sweep for expired ones every half interval, so a job
    /// whose worker died is back in its queue within two intervals of the worker's last heartbeat.
    /// </remarks>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this many abandons (its worker died while running it) a job is failed as a poison pill.</summary>
    public int MaxAbandons { get; set; } = 3;

    /// <summary>On SIGTERM/SIGINT, how long running jobs get to finish before they are canceled and re-queued.</summary>
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Longest the scheduler sleeps; it also wakes when a job is scheduled earlier, or at the next due job.</summary>
    /// <remarks>Jobs scheduled by RQ's Python producers send no wake-up, so they wait at most this long.</remarks>
    public TimeSpan SchedulerMaxSleep { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where jobs run: in this process (<see cref="TaskIsolation.None"/>, the default) or each in a child
    /// process that is killed when the job times out or is stopped (<see cref="TaskIsolation.Process"/>).</summary>
    /// <remarks>A task marked <c>[Task(..., Isolation = TaskIsolation.Process)]</c> runs in a child whatever this says.
    /// A child costs a process per concurrent job and a round trip per job (README, "Process isolation"); a job in
    /// this process costs nothing extra but cannot be stopped if it ignores its cancellation token.</remarks>
    public TaskIsolation Isolation { get; set; }

    /// <summary>How long a job whose token fired (timeout, stop-job, shutdown) gets to return before the worker gives
    /// up on it: a child process is killed then; a job in this process becomes a zombie.</summary>
    /// <remarks>A zombie's outcome is recorded (failed or stopped) but its code runs on, and it keeps its slot until
    /// it returns, so a worker never runs more than <see cref="Concurrency"/> jobs' code at once.</remarks>
    public TimeSpan CancelGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The worker stops and exits with an error once this many zombies run at once (or zombies hold every
    /// slot), so that its supervisor (systemd, Kubernetes, <c>dundie worker</c>'s restart policy) starts a clean one.</summary>
    /// <remarks>A zombie is a job that ignored its cancellation for <see cref="CancelGrace"/>; it burns a thread, often
    /// a core, until it returns. Only a new process gets those back; <see cref="TaskIsolation.Process"/> avoids zombies.</remarks>
    public int MaxZombies { get; set; } = 3;

    /// <summary>The command that starts a child process for isolated jobs; null for this process's own command line
    /// (its executable and arguments), whose <c>Main</c> hands over to <see cref="TaskQueueChild"/>.</summary>
    public ChildCommand? ChildCommand { get; set; }

    internal TimeSpan Lease => HeartbeatInterval * 1.5;

    /// <summary>What is wrong with these options, one readable line each; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Queues.Count == 0) problems.Add("A worker needs at least one queue.");
        foreach (var queue in Queues)
        {
            if (string.IsNullOrWhiteSpace(queue) || queue.Contains(',')) problems.Add($"'{queue}' is not a valid queue name.");
        }
        if (Concurrency < 1) problems.Add($"Concurrency must be at least 1, not {Concurrency}.");
        if (MaxJobs is < 1) problems.Add($"MaxJobs must be at least 1, not {MaxJobs}.");
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(100)) problems.Add($"HeartbeatInterval must be at least 100 ms, not {HeartbeatInterval}.");
        if (MaxAbandons < 0) problems.Add($"MaxAbandons cannot be negative, not {MaxAbandons}.");
        if (ShutdownGrace < TimeSpan.Zero) problems.Add($"ShutdownGrace cannot be negative, not {ShutdownGrace}.");
        if (SchedulerMaxSleep <= TimeSpan.Zero) problems.Add($"SchedulerMaxSleep must be positive, not {SchedulerMaxSleep}.");
        if (!Enum.IsDefined(Isolation)) problems.Add($"Isolation must be None or Process, not {Isolation}.");
        if (CancelGrace < TimeSpan.Zero) problems.Add($"CancelGrace cannot be negative, not {CancelGrace}.");
        if (MaxZombies < 1) problems.Add($"MaxZombies must be at least 1, not {MaxZombies}.");
        if (ChildCommand is { FileName: var file } && string.IsNullOrWhiteSpace(file)) problems.Add("ChildCommand needs a file name.");
        return problems;
    }

    internal void Validate()
    {
        if (Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
    }
}

/// <summary>Checks <see cref="WorkerOptions"/> when the host starts (AddWorker asks for it), so a bad setting stops
/// the process at start with every problem named, instead of failing the worker service once it runs.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options) =>
        options.Problems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems)
            : ValidateOptionsResult.Success;
}
