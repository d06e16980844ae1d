using TaskQueue.Dashboard.Api;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/queues/{name}</c>: counts, age of the oldest waiting job, pause/resume (our workers skip a paused
/// queue), empty, and the jobs in one state, a page at a time.</summary>
internal static class QueuePage
{
    public static string Render(PageContext page, QueueSnapshot queue, JobPage jobs, int pageNumber, int pageSize)
    {
        var html = new Html();
        var self = "/queues/" + DashboardSite.Segment(queue.Name);
        html.Add($"<h1>Queue <span class=\"name\">{queue.Name}</span>{(queue.Paused ? Html.Fragment(" <span class=\"status paused\">paused</span>") : Html.Fragment(""))}</h1>");
        html.Add($"<p class=\"summary\">");
        html.Add($"Oldest waiting job: {(queue.OldestAgeSeconds is { } s ? Format.Duration(TimeSpan.FromSeconds(s)) : "none")}</p>");
        html.Add($"<div class=\"actions\">{(queue.Paused ? page.ActionButton(self + "/resume", "Resume") : page.ActionButton(self + "/pause", "Pause"))}");
        html.Add($"{page.ActionButton(self + "/empty", "Empty the queue", $"Delete the {queue.Queued} waiting job(s) of {queue.Name}?", danger: true)}</div>");
        html.Add($"<nav class=\"tabs\">");
        foreach (var state in OverviewPage.States)
        {
            var active = state == jobs.State.ToText() ? "active" : "";
            html.Add($"<a class=\"{active}\" href=\"{page.Link(self + "?state=" + state)}\">{state} <span class=\"count\">{OverviewPage.Count(queue, state)}</span></a>");
        }
        html.Add($"</nav>");
        JobTable.Render(html, page, jobs.Jobs, ScoreLabel(jobs.State));
        var pages = Math.Max(1, (jobs.Total + pageSize - 1) / pageSize);
        html.Add($"<p class=\"pager\">Page {pageNumber} of {pages} ({jobs.Total} job(s)) ");
        var link = self + "?state=" + jobs.State.ToText() + "&page=";
        if (pageNumber > 1) html.Add($"<a rel=\"prev\" href=\"{page.Link(link + (pageNumber - 1))}\">previous</a> ");
        if (pageNumber < pages) html.Add($"<a rel=\"next\" href=\"{page.Link(link + (pageNumber + 1))}\">next</a>");
        html.Add($"</p>");
        return Layout.Render(page, "Queue " + queue.Name, "", html);
    }

    private static string? ScoreLabel(JobListState state) => state switch
    {
        JobListState.Scheduled => "Due",
        JobListState.Started => "Lease until",
        JobListState.Finished or JobListState.Failed => "Expires",
        _ => null,
    };
}
