using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Monitoring;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Dashboard.Api;

/// <summary>The dashboard's data as JSON, for scripts and for the pages' live updates: <c>api/overview</c>,
/// <c>api/queues</c>, <c>api/queues/{name}</c>, <c>api/jobs/{id}</c>, <c>api/search?q=</c>, <c>api/workers</c>,
/// <c>api/scheduled</c>, <c>api/stats</c>. Reads only.</summary>
internal static class ApiEndpoints
{
    public static void Map(RouteGroupBuilder api, DashboardSite site)
    {
        api.MapGet("/overview", async (long? since, QueueMonitor monitor, JobBrowser browser, WorkerControl control, StatsHistory stats, CancellationToken ct) =>
            Json(await Snapshots.OverviewAsync(monitor, browser, control, stats, Since(since), ct)));

        api.MapGet("/stats", async (long? since, StatsHistory stats, CancellationToken ct) => Json(await stats.GetAsync(Since(since), ct)));

        api.MapGet("/queues", async (QueueMonitor monitor, JobBrowser browser, CancellationToken ct) =>
            Json(await Snapshots.QueuesAsync(monitor, browser, ct)));

        api.MapGet("/queues/{name}", async (string name, string? state, string? page, QueueMonitor monitor, JobBrowser browser, CancellationToken ct) =>
        {
            if (!Paging.TryRead(state, page, out var listState, out var number, out var problem)) return Problem(StatusCodes.Status400BadRequest, problem);
            var size = site.Options.PageSize;
            var queue = await Snapshots.QueueAsync(name, monitor, browser, ct);
            return Json(new { queue, page = number, page_size = size, jobs = await browser.PageAsync(name, listState, (long)(number - 1) * size, size, ct) });
        });

        api.MapGet("/jobs/{id}", async (string id, JobStore store, JobBrowser browser, CancellationToken ct) =>
            await store.GetAsync(id, ct) is { } job
                ? Json(new { job, dependents = await browser.GetDependentsAsync(id, ct) })
                : Problem(StatusCodes.Status404NotFound, $"No job with id '{id}'."));

        api.MapGet("/search", async (string? q, string? cursor, JobSearch search, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(q)) return Problem(StatusCodes.Status400BadRequest, "Give the text to search for as ?q=TEXT.");
            try
            {
                return Json(await search.SearchAsync(q, cursor, budget: site.Options.SearchBudget, cancellationToken: ct));
            }
            catch (ArgumentException e)
            {
                return Problem(StatusCodes.Status400BadRequest, e.Message.Split(" (Parameter", 2)[0]);
            }
        });

        api.MapGet("/workers", async (QueueMonitor monitor, WorkerControl control, CancellationToken ct) =>
            Json(new { suspended = await control.IsSuspendedAsync(ct), workers = await monitor.GetWorkersAsync(ct) }));

        api.MapGet("/scheduled", async (CronControl cron, QueueMonitor monitor, JobBrowser browser, CancellationToken ct) =>
        {
            var (entries, scheduled) = await ScheduledReads.ReadAsync(cron, monitor, browser, site.Options.PageSize, ct);
            return Json(new { cron = entries, scheduled });
        });
    }

    private static DateTimeOffset? Since(long? epochSeconds) =>
        epochSeconds is { } s && s > 0 && s < 100_000_000_000 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    private static IResult Json<T>(T value) => Results.Json(value, DashboardJson.Options);

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);
}
