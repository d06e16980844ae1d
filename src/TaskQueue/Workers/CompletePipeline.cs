using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Workers;

/// <summary>The worker's Complete calls in flight, at most <see cref="CallsInFlight"/>, answered in the order sent.</summary>
/// <remarks>
/// With one call at a time, Redis and the worker took turns: the slots sat empty while Redis ran the call, then
/// Redis sat idle while the jobs ran (27k jobs/s at concurrency 50 on an idle machine, with neither side 60 % busy).
/// With two in flight, each fetching at most half the slots, one batch runs here while the other call runs in Redis.
/// A call reserves the slots it may fill until its reply, so no call fetches more jobs than can start at once.
/// </remarks>
internal sealed class CompletePipeline
{
    public const int CallsInFlight = 2;

    private readonly List<CompleteInFlight> calls = new(CallsInFlight);

    public int Count => calls.Count;

    public bool CanSend => calls.Count < CallsInFlight;

    /// <summary>The slots the calls in flight may fill when they answer.</summary>
    public int Reserved
    {
        get
        {
            var reserved = 0;
            foreach (var call in calls) reserved += call.Fetch;
            return reserved;
        }
    }

    /// <summary>Adds a call; <paramref name="answered"/> runs when its reply (or failure) arrives.</summary>
    public void Add(CompleteInFlight call, Action answered)
    {
        calls.Add(call);
        _ = call.Reply.ContinueWith(static (_, s) => ((Action)s!)(), answered, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The oldest call, once it has answered: replies are taken in the order the calls were sent, as the
    /// connection answers them.</summary>
    public bool TryTakeAnswered(out CompleteInFlight call)
    {
        if (calls.Count > 0 && calls[0].Reply.IsCompleted)
        {
            call = calls[0];
            calls.RemoveAt(0);
            return true;
        }
        call = null!;
        return false;
    }

    /// <summary>Every call still in flight, removed (at shutdown: their replies may still start jobs).</summary>
    public List<CompleteInFlight> TakeAll()
    {
        var all = new List<CompleteInFlight>(calls);
        calls.Clear();
        return all;
    }
}

/// <summary>A Complete call in flight: the outcomes it records, the slots it may fill, and whether it carries a single
/// outcome suspected of failing the script (see Worker.Handle).</summary>
internal sealed record CompleteInFlight(IReadOnlyList<JobOutcome> Ended, int Fetch, Task<CompleteReply> Reply, bool Suspect = false);
