using System.Runtime.ExceptionServices;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

public sealed partial class Worker
{
    /// <summary>Whether to ask for jobs: false once a reply brought fewer jobs than asked (the queues ran dry, or workers
    /// are suspended) until the next wake-up, so no call is sent just to fetch meanwhile.</summary>
    private sealed class FetchState
    {
        public bool WantJobs { get; set; } = true;
        public bool Suspended { get; set; }

        /// <summary>The queues the last fetch passed over because they are paused.</summary>
        public IReadOnlySet<string> Paused { get; set; } = new HashSet<string>();

        /// <summary>The queues whose limits held jobs back at the last fetch, and when to try each again.</summary>
        public IReadOnlyDictionary<string, DateTimeOffset> Throttled { get; set; } = new Dictionary<string, DateTimeOffset>();

        /// <summary>The queues an idle wait must not block on: their jobs are there but cannot be taken, and would wake
        /// the worker at once, again and again.</summary>
        public IReadOnlySet<string> NotToWaitOn(DateTimeOffset now)
        {
            if (Throttled.Count == 0) return Paused;
            var skip = new HashSet<string>(Paused, StringComparer.Ordinal);
            foreach (var (queue, until) in Throttled) if (until > now) skip.Add(queue);
            return skip;
        }

        /// <summary>How long an idle wait may last: <paramref name="longest"/>, or until the first throttled queue may be
        /// tried again.</summary>
        public TimeSpan WaitFor(DateTimeOffset now, TimeSpan longest)
        {
            foreach (var until in Throttled.Values) if (until - now < longest) longest = until - now;
            return longest < TimeSpan.Zero ? TimeSpan.Zero : longest;
        }
    }

    /// <summary>When a queue held back by its concurrency limit is tried again by a worker that runs none of its jobs: a
    /// worker whose job of that queue ends takes the freed slot in the call that records it, so this is only how long a
    /// slot freed elsewhere (an RQ worker, a dead worker's lapsed lease) may wait.</summary>
    private static readonly TimeSpan ConcurrencyRetry = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between calls while the broker fails: short, so that a worker is back within about a
    /// second of its broker, and one call a second costs a broker that is down nothing.</summary>
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The main loop: handle the replies that came in, maybe exit, then send a Complete call or wait.</summary>
    /// <remarks>Complete calls record what ended and start what fits, up to two in flight (<see cref="CompletePipeline"/>).
    /// A call that failed puts its outcomes back to be sent again once the broker answers.</remarks>
    private async Task<string> ProcessAsync(JobWaiter waiter)
    {
        var perCall = Math.Max(1, (options.Concurrency + CompletePipeline.CallsInFlight - 1) / CompletePipeline.CallsInFlight);
        var pipeline = new CompletePipeline();
        var fetching = new FetchState();
        var backoff = TimeSpan.Zero;
        while (!Stopping)
        {
            string? failed = null;
            while (pipeline.TryTakeAnswered(out var call))
            {
                if (Handle(call, fetching) is { } error) failed = error; else backoff = TimeSpan.Zero;
            }
            if (failed is null && reclaimNeeded)
            {
                // Reclaiming waits for the calls in flight: a job one of them starts must not look like a lost one.
                if (pipeline.Count > 0)
                {
                    await wake.WaitAsync(IdleWait, CancellationToken.None);
                    continue;
                }
                failed = await TryReclaimAsync();
            }
            if (failed is not null)
            {
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : Min(backoff * 2, MaxBackoff);
                WorkerLog.BrokerError(logger, backoff.TotalSeconds, failed);
                await wake.WaitAsync(backoff, abort.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }

            if (await ExitReasonAsync(pipeline, fetching) is { } reason) return reason;

            if (TrySend(pipeline, fetching, perCall)) continue;

            // Nothing to send: wait for a reply, a job's end, a job in the queues (JobWaiter), a command, or the time a
            // throttled queue may be tried again.
            var free = FreeSlots(pipeline.Reserved);
            var now = time.GetUtcNow();
            if (free > 0 && !fetching.WantJobs && !fetching.Suspended && pipeline.Count == 0) waiter.Want(fetching.NotToWaitOn(now)); else waiter.Satisfied();
            await wake.WaitAsync(fetching.WaitFor(now, IdleWait), CancellationToken.None);
            fetching.WantJobs = true;
        }

        // The replies still due may have started jobs: they must be running here for the drain to finish or release them.
        foreach (var call in pipeline.TakeAll())
        {
            try { await call.Reply; }
            catch (Exception e) when (BrokerErrors.IsBrokerError(e)) { }
            Handle(call, new FetchState());
        }
        return "stop requested";
    }

    /// <summary>Why to stop now: the job limit reached, or the queues empty in burst mode (after promoting what the
    /// scheduler has due); null to go on.</summary>
    private async Task<string?> ExitReasonAsync(CompletePipeline pipeline, FetchState fetching)
    {
        var idle = pipeline.Count == 0 && running.IsEmpty && outcomes.IsEmpty && suspects.IsEmpty;
        if (!idle) return null;
        if (options.MaxJobs is { } max && StartedCount >= max) return $"max jobs ({max}) reached";
        // A throttled queue is not empty: its jobs wait for their turn, and a burst worker waits with them.
        if (!options.Burst || fetching.WantJobs || fetching.Suspended || fetching.Throttled.Count > 0) return null;
        if (scheduler is not null && await scheduler.PromoteOnceAsync(CancellationToken.None) > 0)
        {
            fetching.WantJobs = true;
            return null;
        }
        return "burst: the queues are empty";
    }

    /// <summary>Sends a Complete call when one may go and has something to do: a suspect outcome alone, else every
    /// outcome waiting and as many jobs as fit.</summary>
    private bool TrySend(CompletePipeline pipeline, FetchState fetching, int perCall)
    {
        if (!pipeline.CanSend) return false;
        if (suspects.TryDequeue(out var suspect))
        {
            Send(pipeline, [suspect], 0, suspect: true);
            return true;
        }
        var free = FreeSlots(pipeline.Reserved);
        if (outcomes.IsEmpty && (free == 0 || !fetching.WantJobs)) return false;
        Send(pipeline, Drain(outcomes), Math.Min(free, perCall));
        return true;
    }

    private void Send(CompletePipeline pipeline, IReadOnlyList<JobOutcome> ended, int fetch, bool suspect = false) =>
        // The reply wakes this loop, wherever it waits.
        pipeline.Add(new CompleteInFlight(ended, fetch, store.CompleteAsync(Name, ended, queues, fetch, options.Lease, telemetry.WantsEnqueuedAt), suspect), wake.Set);

    /// <summary>Records a call's reply: logs its outcomes and starts its jobs. Returns null, or what went wrong when the
    /// call failed.</summary>
    /// <remarks>
    /// A failed call's outcomes are sent again. When the call may have run without its reply arriving (a cut
    /// connection, a timeout), the jobs it started are in the started registry under this worker's name but not running
    /// here: the worker reclaims them (<see cref="TryReclaimAsync"/>) before its next call; the outcomes it may have
    /// recorded come back as <see cref="Recording.EndedEarlier"/>. When the script itself failed (a bug, or data it
    /// cannot handle), sending the same batch again would fail forever: its outcomes are sent one by one, and one that
    /// fails alone is dropped with an error; its lease then lapses and the sweep deals with the job.
    /// </remarks>
    private string? Handle(CompleteInFlight call, FetchState fetching)
    {
        var error = call.Reply.Exception?.GetBaseException();
        if (error is null)
        {
            var reply = call.Reply.Result;
            Report(call.Ended, reply.Recorded);
            ReportSkipped(reply.Skipped);
            if (reply.Started.Count > 0) Start(reply.Started);
            if (reply.Suspended && !fetching.Suspended) WorkerLog.Suspended(logger);
            fetching.Suspended = reply.Suspended;
            if (call.Fetch > 0)
            {
                fetching.WantJobs = reply.Started.Count >= call.Fetch;
                if (reply.Paused.Count != fetching.Paused.Count || !reply.Paused.All(fetching.Paused.Contains))
                {
                    foreach (var queue in reply.Paused.Except(fetching.Paused)) WorkerLog.QueuePaused(logger, queue);
                    fetching.Paused = reply.Paused.ToHashSet(StringComparer.Ordinal);
                }
                if (reply.Throttled.Count > 0 || fetching.Throttled.Count > 0) fetching.Throttled = Throttled(reply.Throttled);
            }
            return null;
        }
        if (!BrokerErrors.IsBrokerError(error)) ExceptionDispatchInfo.Throw(error);
        if (!BrokerErrors.IsScriptError(error))
        {
            foreach (var outcome in call.Ended) outcomes.Enqueue(outcome);
            if (BrokerErrors.MayHaveRun(error)) reclaimNeeded = true;
        }
        else if (call.Suspect)
        {
            WorkerLog.OutcomeUnrecordable(logger, call.Ended[0].JobId, error.Message);
        }
        else if (call.Ended.Count == 0)
        {
            // Nothing to single out: the fetch itself failed; the backoff spaces the next tries.
            WorkerLog.FetchFailed(logger, error.Message);
        }
        else
        {
            WorkerLog.ScriptFailed(logger, call.Ended.Count, error.Message);
            foreach (var outcome in call.Ended) suspects.Enqueue(outcome);
        }
        return error.Message;
    }

    /// <summary>When to try each throttled queue again.</summary>
    private Dictionary<string, DateTimeOffset> Throttled(IReadOnlyList<QueueThrottle> throttled)
    {
        var now = time.GetUtcNow();
        var until = new Dictionary<string, DateTimeOffset>(throttled.Count, StringComparer.Ordinal);
        foreach (var queue in throttled)
        {
            until[queue.Queue] = now + (queue.RetryAfter ?? ConcurrencyRetry);
            WorkerLog.QueueThrottled(logger, queue.Queue, (queue.RetryAfter ?? ConcurrencyRetry).TotalMilliseconds);
        }
        return until;
    }

    /// <summary>Puts back at the front of their queues the jobs a call whose reply was lost started for this worker.
    /// Returns null, or what went wrong.</summary>
    private async Task<string?> TryReclaimAsync()
    {
        try
        {
            var known = running.Keys.Concat(outcomes.Select(o => o.JobId)).Concat(suspects.Select(o => o.JobId))
                .Concat(toRelease.Select(r => r.JobId)).ToHashSet(StringComparer.Ordinal);
            var reclaimed = await store.ReclaimAsync(Name, queues, known);
            if (reclaimed > 0) WorkerLog.Reclaimed(logger, reclaimed);
            reclaimNeeded = false;
            return null;
        }
        catch (Exception e) when (BrokerErrors.IsBrokerError(e))
        {
            return e.Message;
        }
    }
}
