using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Pages;

/// <summary>A table of jobs, as queue pages, the scheduled page and search results list them.</summary>
internal static class JobTable
{
    /// <summary>Appends the table to <paramref name="html"/>; <paramref name="scoreLabel"/> heads the registry-score column
    /// (due, lease until, expires), none when null.</summary>
    public static void Render(Html html, PageContext page, IReadOnlyList<JobSummary> jobs, string? scoreLabel, bool showQueue = false)
    {
        html.Add($"<table class=\"jobs\"><thead><tr><th>Job</th><th>Status</th>");
        if (showQueue) html.Add($"<th>Queue</th>");
        html.Add($"<th>Call</th><th>Enqueued</th><th>Ended</th>");
        if (scoreLabel is not null) html.Add($"<th>{scoreLabel}</th>");
        html.Add($"</tr></thead><tbody>");
        if (jobs.Count == 0) html.Add($"<tr><td colspan=\"7\" class=\"empty\">No jobs.</td></tr>");
        foreach (var job in jobs)
        {
            var status = job.Status?.ToRq() ?? "gone";
            html.Add($"<tr><td class=\"id\"><a href=\"{page.Link("/jobs/" + DashboardSite.Segment(job.Id))}\">{job.Id}</a></td>");
            html.Add($"<td><span class=\"status {status}\">{status}</span></td>");
            if (showQueue) html.Add($"<td>{job.Origin}</td>");
            html.Add($"<td class=\"call\">{job.Description}</td><td>{Format.Time(job.EnqueuedAt ?? job.CreatedAt)}</td><td>{Format.Time(job.EndedAt)}</td>");
            if (scoreLabel is not null) html.Add($"<td>{Format.Time(job.Score)}</td>");
            html.Add($"</tr>");
        }
        html.Add($"</tbody></table>");
    }
}
