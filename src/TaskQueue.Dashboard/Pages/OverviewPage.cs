using TaskQueue.Dashboard.Api;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/</c>: live counts per queue and state, and the last hour's throughput and queue ages as charts.</summary>
/// <remarks>The counts are rendered here; dashboard.js then refreshes them and draws the charts from
/// <c>api/overview</c>, asking only for the chart buckets it does not have yet.</remarks>
internal static class OverviewPage
{
    public static readonly string[] States = ["queued", "started", "scheduled", "deferred", "finished", "failed", "canceled"];

    public static string Render(PageContext page, OverviewSnapshot overview)
    {
        var html = new Html();
        html.Add($"<h1>Overview</h1><p class=\"summary\"><span id=\"workers-count\">{overview.Workers}</span> worker(s) live");
        html.Add($"<span id=\"suspended\" class=\"badge warn\"{(overview.Suspended ? Html.Fragment("") : Html.Fragment(" hidden"))}>workers suspended</span></p>");
        html.Add($"<section class=\"charts\"><figure><figcaption>Jobs per second, last hour <span class=\"legend finished\">finished</span> <span class=\"legend failed\">failed</span></figcaption>");
        html.Add($"<svg id=\"chart-throughput\" class=\"chart\" viewBox=\"0 0 600 160\" role=\"img\" aria-label=\"Finished and failed jobs per second\"></svg></figure>");
        html.Add($"<figure><figcaption>Age of the oldest waiting job, last hour (seconds)</figcaption>");
        html.Add($"<svg id=\"chart-age\" class=\"chart\" viewBox=\"0 0 600 160\" role=\"img\" aria-label=\"Queue age\"></svg></figure></section>");
        html.Add($"<h2>Queues</h2><table class=\"queues\" id=\"queues\"><thead><tr><th>Queue</th>");
        foreach (var state in States) html.Add($"<th>{state}</th>");
        html.Add($"<th>Oldest waiting</th></tr></thead><tbody>");
        if (overview.Queues.Count == 0) html.Add($"<tr><td colspan=\"9\" class=\"empty\">No queues yet.</td></tr>");
        foreach (var q in overview.Queues)
        {
            html.Add($"<tr data-queue=\"{q.Name}\"><td><a href=\"{page.Link("/queues/" + DashboardSite.Segment(q.Name))}\">{q.Name}</a>");
            html.Add($" <span class=\"status paused\" data-paused{(q.Paused ? Html.Fragment("") : Html.Fragment(" hidden"))}>paused</span></td>");
            foreach (var state in States)
            {
                html.Add($"<td class=\"count\" data-state=\"{state}\"><a href=\"{page.Link("/queues/" + DashboardSite.Segment(q.Name) + "?state=" + state)}\">{Count(q, state)}</a></td>");
            }
            html.Add($"<td class=\"age\" data-state=\"age\">{(q.OldestAgeSeconds is { } s ? Format.Duration(TimeSpan.FromSeconds(s)) : "")}</td></tr>");
        }
        html.Add($"</tbody></table>");
        return Layout.Render(page, "Overview", "/", html);
    }

    public static long Count(QueueSnapshot q, string state) => state switch
    {
        "queued" => q.Queued,
        "started" => q.Started,
        "scheduled" => q.Scheduled,
        "deferred" => q.Deferred,
        "finished" => q.Finished,
        "failed" => q.Failed,
        _ => q.Canceled,
    };
}
