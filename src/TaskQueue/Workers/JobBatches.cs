using System.Diagnostics;
using TaskQueue.Jobs;

namespace TaskQueue.Workers;

/// <summary>Runs the jobs one Complete call started: pool threads ("lanes") take them one by one, and a lane
/// that stalls on a job gets help.</summary>
/// <remarks>
/// One pool work item per batch, not per job: a lane starts each job (an async task runs up to its first await,
/// a fast synchronous one to its end, see <see cref="SyncCalls"/>) and takes the next. A job that holds its lane
/// longer than <see cref="StallAfter"/> while jobs of its batch still wait (a synchronous task slower than it used
/// to be) makes a timer start another lane for the rest, so no job waits long behind another. The timer runs only
/// while some batch has jobs not yet started.
/// Jobs that end on their lane within its first millisecond are reported together when the lane is done (one
/// wake-up of the worker loop, then one Complete call, for the batch) instead of one by one: a wake-up per job
/// had the loop send a Complete call for the few jobs ended so far while the lane went on.
/// </remarks>
internal sealed class JobBatches : IDisposable
{
    private static readonly TimeSpan StallAfter = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan CoalesceFor = TimeSpan.FromMilliseconds(1);

    /// <summary>When this thread started running a lane (<see cref="Stopwatch"/> ticks); 0 when it is not a lane.</summary>
    [ThreadStatic]
    private static long laneStarted;

    private readonly Func<StartedJob, RunningJob, Task> run;
    private readonly Action laneDone;
    private readonly TimeProvider time;
    private readonly ITimer timer;
    private readonly List<Batch> active = [];
    private int armed;

    /// <param name="run">Starts one job; returns when it waits for something (or has ended).</param>
    /// <param name="laneDone">Called when a lane has run out of jobs: report what ended on it.</param>
    /// <param name="time">The clock for the stall check.</param>
    public JobBatches(Func<StartedJob, RunningJob, Task> run, Action laneDone, TimeProvider time)
    {
        this.run = run;
        this.laneDone = laneDone;
        this.time = time;
        timer = time.CreateTimer(static s => ((JobBatches)s!).CheckStalls(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True on a lane in its first millisecond: a job ending here is reported when the lane is done.</summary>
    public static bool ReportedByLane => laneStarted != 0 && Stopwatch.GetElapsedTime(laneStarted) < CoalesceFor;

    public void Start(IReadOnlyList<StartedJob> jobs, RunningJob[] handles)
    {
        var batch = new Batch(this, jobs, handles);
        lock (active) active.Add(batch);
        Arm();
        ThreadPool.UnsafeQueueUserWorkItem(static b => b.RunLane(), batch, preferLocal: false);
    }

    private void Arm()
    {
        if (Interlocked.Exchange(ref armed, 1) == 0) timer.Change(StallAfter, Timeout.InfiniteTimeSpan);
    }

    private void CheckStalls()
    {
        // Disarmed before the scan: a batch started meanwhile is either seen here or arms the timer itself.
        Volatile.Write(ref armed, 0);
        var now = time.GetTimestamp();
        bool any;
        lock (active)
        {
            foreach (var batch in active)
            {
                if (batch.Stalled(now)) ThreadPool.UnsafeQueueUserWorkItem(static b => b.RunLane(), batch, preferLocal: false);
            }
            any = active.Count > 0;
        }
        if (any) Arm();
    }

    private void Retire(Batch batch)
    {
        lock (active) active.Remove(batch);
    }

    public void Dispose() => timer.Dispose();

    private sealed class Batch(JobBatches owner, IReadOnlyList<StartedJob> jobs, RunningJob[] handles)
    {
        private int next = -1;
        private long lastStart = owner.time.GetTimestamp();

        public void RunLane()
        {
            laneStarted = Stopwatch.GetTimestamp();
            try
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= jobs.Count)
                    {
                        if (i == jobs.Count) owner.Retire(this);
                        return;
                    }
                    Volatile.Write(ref lastStart, owner.time.GetTimestamp());
                    _ = owner.run(jobs[i], handles[i]);
                    handles[i].TakeInline()?.Invoke();
                }
            }
            finally
            {
                laneStarted = 0;
                owner.laneDone();
            }
        }

        /// <summary>Jobs wait, and none has started for <see cref="StallAfter"/>; claims the stall so one lane is added per check.</summary>
        public bool Stalled(long now)
        {
            if (Volatile.Read(ref next) + 1 >= jobs.Count) return false;
            var since = Volatile.Read(ref lastStart);
            if (owner.time.GetElapsedTime(since, now) < StallAfter) return false;
            return Interlocked.CompareExchange(ref lastStart, now, since) == since;
        }
    }
}
