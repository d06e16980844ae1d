namespace TaskQueue.Workers;

/// <summary>Cancels running jobs whose timeout has passed, with one timer for the whole worker.</summary>
/// <remarks>
/// A timer per job (<c>CancellationTokenSource.CancelAfter</c>) costs an allocation and a lock on the runtime's
/// shared timer queue for every job, and that lock was contended by every pool thread starting a job. Here a job
/// only records its deadline; one timer is armed for the earliest deadline, and when it fires it cancels every
/// job past its deadline and re-arms for the next one. Jobs mostly share one timeout, so their deadlines grow
/// with their start times and starting a job rarely touches the timer at all.
/// </remarks>
internal sealed class JobDeadlines : IDisposable
{
    private readonly TimeProvider time;
    private readonly Func<IEnumerable<RunningJob>> running;
    private readonly ITimer timer;
    private readonly Lock gate = new();
    private long armedFor = long.MaxValue;

    public JobDeadlines(TimeProvider time, Func<IEnumerable<RunningJob>> running)
    {
        this.time = time;
        this.running = running;
        timer = time.CreateTimer(static s => ((JobDeadlines)s!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Cancels <paramref name="job"/> with <see cref="CancelReason.Timeout"/> once <paramref name="timeout"/> has passed
    /// (never for <see cref="Timeout.InfiniteTimeSpan"/>).</summary>
    public void Watch(RunningJob job, TimeSpan timeout)
    {
        if (timeout == Timeout.InfiniteTimeSpan) return;
        var deadline = time.GetUtcNow().UtcTicks + timeout.Ticks;
        job.Deadline = deadline;
        if (deadline < Volatile.Read(ref armedFor)) Arm(deadline);
    }

    /// <summary>The longest the timer is set for; a later deadline is reached by re-arming when it fires.</summary>
    /// <remarks>A timer refuses a due time beyond ~49.7 days: a job with a 60-day timeout threw at arming, which left
    /// <c>armedFor</c> set with no timer running, and no later job on that worker ever timed out.</remarks>
    private static readonly TimeSpan LongestWait = TimeSpan.FromHours(1);

    private void Arm(long deadline)
    {
        lock (gate)
        {
            if (deadline >= armedFor) return;
            armedFor = deadline;
            var wait = Math.Clamp(deadline - time.GetUtcNow().UtcTicks, 0, LongestWait.Ticks);
            timer.Change(TimeSpan.FromTicks(wait), Timeout.InfiniteTimeSpan);
        }
    }

    private void Expire()
    {
        // Disarm first: a job that starts while this scan runs either is seen by it or arms the timer itself.
        lock (gate) armedFor = long.MaxValue;
        var now = time.GetUtcNow().UtcTicks;
        var next = long.MaxValue;
        foreach (var job in running())
        {
            var deadline = job.Deadline;
            if (deadline <= now) job.Cancel(CancelReason.Timeout);
            else if (deadline < next) next = deadline;
        }
        if (next != long.MaxValue) Arm(next);
    }

    public void Dispose() => timer.Dispose();
}
