using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Dashboard.Actions;
using TaskQueue.Dashboard.Api;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Dashboard.Pages;
using TaskQueue.Dashboard.Rendering;
using TaskQueue.Monitoring;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Dashboard;

/// <summary>Mounts the dashboard: its pages, its JSON API under <c>api/</c>, its actions and its embedded assets.</summary>
public static class DashboardEndpoints
{
    /// <summary>Maps the dashboard under <paramref name="path"/> and returns its route group, so the host can add
    /// <c>.RequireAuthorization(...)</c>. Needs <c>services.AddTaskQueue(...)</c> and <c>services.AddTaskQueueDashboard()</c>.</summary>
    /// <exception cref="InvalidOperationException">The services are missing.</exception>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static RouteGroupBuilder MapTaskQueueDashboard(this IEndpointRouteBuilder endpoints, string path = "/jobs", Action<DashboardOptions>? configure = null)
    {
        if (endpoints.ServiceProvider.GetService<QueueMonitor>() is null || endpoints.ServiceProvider.GetService<DashboardMarker>() is null)
        {
            throw new InvalidOperationException("The dashboard needs services.AddTaskQueue(...) and services.AddTaskQueueDashboard() before MapTaskQueueDashboard.");
        }
        var options = new DashboardOptions();
        configure?.Invoke(options);
        options.Validate();
        var site = new DashboardSite("/" + path.Trim('/'), options);

        // Pages and their JSON are the dashboard's, not part of the host's API description (OpenAPI).
        var group = endpoints.MapGroup(path).ExcludeFromDescription();
        group.AddEndpointFilter(SecurityHeaders.Filter);
        MapPages(group, site);
        ApiEndpoints.Map(group.MapGroup("/api"), site);
        ActionEndpoints.Map(group.MapGroup(""), site);
        AssetEndpoints.Map(group);
        return group;
    }

    private static void MapPages(RouteGroupBuilder group, DashboardSite site)
    {
        group.MapGet("/", async (HttpContext http, QueueMonitor monitor, JobBrowser browser, WorkerControl control, CancellationToken ct) =>
            Page(OverviewPage.Render(new PageContext(http, site), await Snapshots.OverviewAsync(monitor, browser, control, null, null, ct))));

        group.MapGet("/queues/{name}", async (string name, string? state, string? page, HttpContext http, QueueMonitor monitor, JobBrowser browser,
            CancellationToken ct) =>
        {
            if (!Paging.TryRead(state, page, out var listState, out var number, out var problem)) return BadRequest(http, site, problem);
            var queue = await Snapshots.QueueAsync(name, monitor, browser, ct);
            var size = site.Options.PageSize;
            var jobs = await browser.PageAsync(name, listState, (long)(number - 1) * size, size, ct);
            return Page(QueuePage.Render(new PageContext(http, site), queue, jobs, number, size));
        });

        group.MapGet("/jobs/{id}", async (string id, HttpContext http, JobStore store, JobBrowser browser, CancellationToken ct) =>
        {
            if (await store.GetAsync(id, ct) is not { } job) return NotFound(http, site, $"No job with id '{id}': it never existed, expired, or was deleted.");
            var dependencies = await browser.SummariesAsync(job.DependsOn, ct);
            var dependents = await browser.SummariesAsync(await browser.GetDependentsAsync(id, ct), ct);
            return Page(JobDetailPage.Render(new PageContext(http, site), job, dependencies, dependents));
        });

        group.MapGet("/scheduled", async (HttpContext http, CronControl cron, QueueMonitor monitor, JobBrowser browser, CancellationToken ct) =>
        {
            var (entries, scheduled) = await ScheduledReads.ReadAsync(cron, monitor, browser, site.Options.PageSize, ct);
            return Page(ScheduledPage.Render(new PageContext(http, site), entries, scheduled));
        });

        group.MapGet("/workers", async (HttpContext http, QueueMonitor monitor, WorkerControl control, CancellationToken ct) =>
            Page(WorkersPage.Render(new PageContext(http, site), await monitor.GetWorkersAsync(ct), await control.IsSuspendedAsync(ct))));

        group.MapGet("/search", async (string? q, string? cursor, HttpContext http, JobSearch search, CancellationToken ct) =>
        {
            var page = new PageContext(http, site);
            if (string.IsNullOrWhiteSpace(q)) return Page(SearchPage.Render(page, q, null, null));
            try
            {
                return Page(SearchPage.Render(page, q, await search.SearchAsync(q, cursor, budget: site.Options.SearchBudget, cancellationToken: ct), null));
            }
            catch (ArgumentException e)
            {
                return Page(SearchPage.Render(page, q, null, e.Message.Split(" (Parameter", 2)[0]), StatusCodes.Status400BadRequest);
            }
        });
    }

    internal static IResult Page(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    private static IResult NotFound(HttpContext http, DashboardSite site, string message) => Message(http, site, "Not found", message, StatusCodes.Status404NotFound);

    private static IResult BadRequest(HttpContext http, DashboardSite site, string message) => Message(http, site, "Bad request", message, StatusCodes.Status400BadRequest);

    private static IResult Message(HttpContext http, DashboardSite site, string title, string message, int status)
    {
        var body = new Html().Add($"<h1>{title}</h1><p class=\"error\">{message}</p>");
        return Page(Layout.Render(new PageContext(http, site), title, "", body), status);
    }
}

/// <summary>Registered by <c>AddTaskQueueDashboard</c>, so mapping can tell that it was called.</summary>
internal sealed class DashboardMarker;
