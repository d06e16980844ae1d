using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>Reads a job list's <c>state</c> and <c>page</c> query values, with a message for each mistake.</summary>
internal static class Paging
{
    /// <summary>The largest page number accepted: far beyond any real list, small enough that offsets stay exact.</summary>
    public const int MaxPage = 10_000_000;

    public static bool TryRead(string? state, string? page, out JobListState listState, out int number, out string problem)
    {
        (listState, number, problem) = (JobListState.Queued, 1, "");
        if (state is not null)
        {
            if (JobListStates.Parse(state) is not { } parsed)
            {
                problem = $"Unknown state '{state}': use one of {string.Join(", ", Enum.GetValues<JobListState>().Select(s => s.ToText()))}.";
                return false;
            }
            listState = parsed;
        }
        if (page is not null && (!int.TryParse(page, out number) || number < 1 || number > MaxPage))
        {
            problem = $"Page '{page}' is not a number from 1 to {MaxPage}.";
            return false;
        }
        return true;
    }
}
