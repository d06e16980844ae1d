using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Monitoring;
using TaskQueue.Scheduling;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/scheduled</c>: the periodic tasks (next and last run, paused, with pause/resume/run now) and the
/// scheduled jobs of every queue, soonest due first.</summary>
internal static class ScheduledPage
{
    public static string Render(PageContext page, IReadOnlyList<CronEntryState> cron, IReadOnlyList<JobPage> scheduled)
    {
        var html = new Html();
        html.Add($"<h1>Scheduled &amp; cron</h1><h2>Periodic tasks</h2>");
        html.Add($"<table class=\"cron\"><thead><tr><th>Name</th><th>Schedule</th><th>Queue</th><th>Call</th><th>Last run</th><th>Next run</th><th>State</th><th></th></tr></thead><tbody>");
        if (cron.Count == 0) html.Add($"<tr><td colspan=\"8\" class=\"empty\">No periodic tasks published (a worker with the scheduler publishes them).</td></tr>");
        foreach (var entry in cron)
        {
            var self = "/cron/" + DashboardSite.Segment(entry.Name);
            html.Add($"<tr data-cron=\"{entry.Name}\"><td>{entry.Name}</td><td><code>{entry.Expression}</code> {entry.TimeZone}</td><td>{entry.Queue}</td>");
            html.Add($"<td class=\"call\">{entry.Description}</td><td>{Format.Time(entry.LastRun)}</td>");
            html.Add($"<td>{(entry.Paused ? "paused" : Format.Time(entry.NextRun))}</td>");
            html.Add($"<td><span class=\"status {(entry.Paused ? "paused" : "active")}\">{(entry.Paused ? "paused" : "active")}</span></td><td>");
            html.Add($"{(entry.Paused ? page.ActionButton(self + "/resume", "Resume") : page.ActionButton(self + "/pause", "Pause"))}");
            html.Add($"{page.ActionButton(self + "/run", "Run now")}</td></tr>");
        }
        html.Add($"</tbody></table><h2>Scheduled jobs</h2>");
        foreach (var queue in scheduled.Where(q => q.Total > 0))
        {
            html.Add($"<h3><a href=\"{page.Link("/queues/" + DashboardSite.Segment(queue.Queue) + "?state=scheduled")}\">{queue.Queue}</a> ({queue.Total})</h3>");
            JobTable.Render(html, page, queue.Jobs, "Due");
        }
        if (scheduled.All(q => q.Total == 0)) html.Add($"<p class=\"empty\">No scheduled jobs.</p>");
        return Layout.Render(page, "Scheduled", "/scheduled", html);
    }
}
