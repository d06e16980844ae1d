using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/workers</c>: live workers, ours and RQ's, with their queues, current job and heartbeat age.</summary>
internal static class WorkersPage
{
    public static string Render(PageContext page, IReadOnlyList<WorkerInfo> workers, bool suspended)
    {
        var html = new Html();
        html.Add($"<h1>Workers</h1>");
        if (suspended) html.Add($"<p class=\"badge warn\">Workers are suspended: they take no new jobs.</p>");
        html.Add($"<table class=\"workers\"><thead><tr><th>Name</th><th>State</th><th>Queues</th><th>Current job</th><th>Heartbeat</th>");
        html.Add($"<th>Host / pid</th><th>Version</th><th>OK</th><th>Failed</th><th>Up since</th></tr></thead><tbody>");
        if (workers.Count == 0) html.Add($"<tr><td colspan=\"10\" class=\"empty\">No live workers.</td></tr>");
        foreach (var w in workers)
        {
            html.Add($"<tr id=\"{w.Name}\"><td>{w.Name}</td><td><span class=\"status {w.State}\">{w.State}</span></td><td>{string.Join(", ", w.Queues)}</td><td>");
            if (w.CurrentJob is { } job) html.Add($"<a href=\"{page.Link("/jobs/" + DashboardSite.Segment(job))}\">{job}</a>");
            html.Add($"</td><td>{Format.Ago(w.LastHeartbeat, page.Now)}</td><td>{w.Hostname} {w.Pid}</td><td>{w.Version}</td>");
            html.Add($"<td>{w.Successful}</td><td>{w.Failed}</td><td>{Format.Time(w.Birth)}</td></tr>");
        }
        html.Add($"</tbody></table>");
        return Layout.Render(page, "Workers", "/workers", html);
    }
}
