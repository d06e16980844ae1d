using System.Runtime.ExceptionServices;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

public sealed partial class Worker
{
    /// <summary>Complete calls in flight at once (see <see cref="ProcessAsync"/>).</summary>
    private const int CallsInFlight = 2;

    /// <summary>A Complete call in flight: the outcomes it records and the slots it may fill.</summary>
    private sealed record Call(IReadOnlyList<JobOutcome> Ended, int Fetch, Task<CompleteResult> Reply);

    /// <summary>The main loop: Complete calls record what ended and start what fits, up to two in flight.</summary>
    /// <remarks>
    /// With one call at a time, Redis and this process took turns: the slots sat empty while Redis ran the call,
    /// then Redis sat idle while the jobs ran (27k jobs/s at concurrency 50 on an idle machine, with neither side
    /// 60 % busy). With two in flight, each fetching at most half the slots, one batch runs here while the other
    /// call runs in Redis. A call reserves the slots it may fill until its reply, so no call fetches more jobs than
    /// can start at once. Replies are handled in the order the calls were sent (one connection answers in order).
    /// </remarks>
    private async Task<string> ProcessAsync(JobWaiter waiter)
    {
        var perCall = Math.Max(1, (options.Concurrency + CallsInFlight - 1) / CallsInFlight);
        var calls = new List<Call>(CallsInFlight);
        // False once a reply brought fewer jobs than asked (the queues ran dry, or workers are suspended), until the
        // next wake-up: no call just to fetch meanwhile.
        var wantJobs = true;
        var suspended = false;
        var backoff = TimeSpan.Zero;
        while (!Stopping)
        {
            var failed = false;
            while (calls.Count > 0 && calls[0].Reply.IsCompleted)
            {
                var call = calls[0];
                calls.RemoveAt(0);
                if (!TryHandle(call, ref suspended, out var full, out var error))
                {
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.TicksPerSecond * 5));
                    WorkerLog.BrokerError(logger, backoff.TotalSeconds, error!.Message);
                    failed = true;
                    continue;
                }
                backoff = TimeSpan.Zero;
                if (call.Fetch > 0) wantJobs = full;
            }
            if (failed)
            {
                await wake.WaitAsync(backoff, abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }

            var idle = calls.Count == 0 && running.IsEmpty && outcomes.IsEmpty;
            if (options.MaxJobs is { } max && StartedCount >= max && idle) return $"max jobs ({max}) reached";
            if (options.Burst && !wantJobs && !suspended && idle)
            {
                if (scheduler is not null && await scheduler.PromoteOnceAsync(CancellationToken.None) > 0)
                {
                    wantJobs = true;
                    continue;
                }
                return "burst: the queues are empty";
            }

            var free = FreeSlots(Reserved(calls));
            if (calls.Count < CallsInFlight && (!outcomes.IsEmpty || (free > 0 && wantJobs)))
            {
                var ended = Drain(outcomes);
                var fetch = Math.Min(free, perCall);
                var reply = store.CompleteAsync(Name, ended, queues, fetch, options.Lease);
                calls.Add(new Call(ended, fetch, reply));
                // The reply wakes this loop, wherever it waits.
                _ = reply.ContinueWith(static (_, s) => ((Signal)s!).Set(), wake, CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                continue;
            }

            // Nothing to send: wait for a reply, a job's end, a job in the queues (JobWaiter), or a command.
            if (free > 0 && !wantJobs && !suspended && calls.Count == 0) waiter.Want(); else waiter.Satisfied();
            await wake.WaitAsync(IdleWait, CancellationToken.None);
            wantJobs = true;
        }

        // The replies still due may have started jobs: they must be running here for the drain to finish or release them.
        foreach (var call in calls)
        {
            try { await call.Reply; }
            catch (Exception e) when (e is RedisException or TimeoutException or TaskQueueConnectionException) { }
            var ignored = false;
            TryHandle(call, ref ignored, out _, out _);
        }
        return "stop requested";
    }

    /// <summary>The slots the calls in flight may fill when they answer.</summary>
    private static int Reserved(List<Call> calls)
    {
        var reserved = 0;
        foreach (var call in calls) reserved += call.Fetch;
        return reserved;
    }

    /// <summary>Records a completed call's reply: logs its outcomes and starts its jobs. False when the call failed (its
    /// outcomes are put back to be sent again); <paramref name="full"/> says whether it brought all the jobs it asked for.</summary>
    private bool TryHandle(Call call, ref bool suspended, out bool full, out Exception? error)
    {
        full = false;
        error = call.Reply.Exception?.GetBaseException();
        if (error is not null)
        {
            if (error is not (RedisException or TimeoutException or TaskQueueConnectionException)) ExceptionDispatchInfo.Throw(error);
            // Nothing was recorded: put the outcomes back and try again once the broker answers.
            foreach (var outcome in call.Ended) outcomes.Enqueue(outcome);
            return false;
        }
        var result = call.Reply.Result;
        Report(call.Ended, result.Recorded);
        if (result.Dropped > 0) WorkerLog.Dropped(logger, result.Dropped);
        if (result.Started.Count > 0) Start(result.Started);
        if (result.Suspended && !suspended) WorkerLog.Suspended(logger);
        suspended = result.Suspended;
        full = result.Started.Count >= call.Fetch;
        return true;
    }
}
