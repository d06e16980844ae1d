using System.Text.Json;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Jobs;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/jobs/{id}</c>: the call, arguments, result or <c>exc_info</c>, meta, a timeline, dependencies,
/// retries and the worker; actions requeue, cancel, stop and delete as the job's state allows.</summary>
internal static class JobDetailPage
{
    public static string Render(PageContext page, JobInfo job, IReadOnlyList<JobSummary> dependencies, IReadOnlyList<JobSummary> dependents)
    {
        var html = new Html();
        var self = "/jobs/" + DashboardSite.Segment(job.Id);
        var status = job.Status?.ToRq() ?? "unknown";
        html.Add($"<h1>Job <span class=\"name\">{job.Id}</span> <span class=\"status {status}\">{status}</span></h1>");
        html.Add($"<div class=\"actions\">");
        if (job.Status is JobStatus.Failed or JobStatus.Stopped or JobStatus.Canceled) html.Add($"{page.ActionButton(self + "/requeue", "Requeue")}");
        if (job.Status is JobStatus.Queued or JobStatus.Deferred or JobStatus.Scheduled) html.Add($"{page.ActionButton(self + "/cancel", "Cancel")}");
        if (job.Status is JobStatus.Started) html.Add($"{page.ActionButton(self + "/stop", "Stop", "Stop this running job?")}");
        html.Add($"{page.ActionButton(self + "/delete", "Delete", "Delete this job for good?", danger: true)}</div>");

        html.Add($"<dl class=\"fields\"><dt>Queue</dt><dd>");
        if (job.Origin is { } queue) html.Add($"<a href=\"{page.Link("/queues/" + DashboardSite.Segment(queue))}\">{queue}</a>");
        html.Add($"</dd><dt>Call</dt><dd class=\"call\">{job.Description}</dd>");
        if (job.Call is { } call)
        {
            html.Add($"<dt>Task</dt><dd>{call.TaskName}</dd>");
            html.Add($"<dt>Arguments</dt><dd><pre class=\"json\" id=\"args\">{Format.Json(call.Args)}</pre></dd>");
            if (call.Kwargs.Count > 0) html.Add($"<dt>Keyword arguments</dt><dd><pre class=\"json\">{Format.Json(call.Kwargs.ToDictionary(k => k.Key, k => k.Value))}</pre></dd>");
        }
        else
        {
            html.Add($"<dt>Data</dt><dd class=\"error\">{job.DataError}</dd>");
        }
        if (job.ResultJson is { } result) html.Add($"<dt>Result</dt><dd><pre class=\"json\" id=\"result\">{Pretty(result)}</pre></dd>");
        if (job.ExcInfo is { } exc) html.Add($"<dt>Exception</dt><dd><pre class=\"exc\" id=\"exc-info\">{exc}</pre></dd>");
        if (job.Meta is { } meta) html.Add($"<dt>Meta</dt><dd><pre class=\"json\" id=\"meta\">{Format.Json(meta)}</pre></dd>");
        html.Add($"<dt>Worker</dt><dd>");
        if (job.WorkerName is { } worker) html.Add($"<a href=\"{page.Link("/workers")}#{worker}\">{worker}</a>");
        html.Add($"</dd><dt>Retries left</dt><dd>{job.RetriesLeft?.ToString() ?? "none"}</dd>");
        if (job.AbandonedCount > 0) html.Add($"<dt>Abandoned</dt><dd>{job.AbandonedCount} time(s) by a worker that died</dd>");
        html.Add($"<dt>Timeout</dt><dd>{Span(job.Timeout)}</dd><dt>Result kept</dt><dd>{Span(job.ResultTtl)}</dd>");
        html.Add($"<dt>Failure kept</dt><dd>{Span(job.FailureTtl)}</dd></dl>");

        html.Add($"<h2>Timeline</h2><ol class=\"timeline\">");
        foreach (var (label, at) in new[] { ("created", job.CreatedAt), ("enqueued", job.EnqueuedAt), ("started", job.StartedAt),
                     ("last heartbeat", job.LastHeartbeat), ("ended", job.EndedAt) })
        {
            if (at is { } t) html.Add($"<li><time>{Format.Time(t)}</time> {label} <span class=\"ago\">{Format.Ago(t, page.Now)}</span></li>");
        }
        html.Add($"</ol>");
        if (job.StartedAt is { } started && job.EndedAt is { } ended) html.Add($"<p>Ran for {Format.Duration(ended - started)}.</p>");

        if (dependencies.Count > 0)
        {
            html.Add($"<h2>Waits on</h2>");
            JobTable.Render(html, page, dependencies, null, showQueue: true);
        }
        if (dependents.Count > 0)
        {
            html.Add($"<h2>Jobs waiting on it</h2>");
            JobTable.Render(html, page, dependents, null, showQueue: true);
        }
        return Layout.Render(page, "Job " + job.Id, "", html);
    }

    private static string Span(TimeSpan? span) =>
        span is not { } s ? "default" : s == Timeout.InfiniteTimeSpan ? "forever" : Format.Duration(s);

    private static string Pretty(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Format.Json(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
