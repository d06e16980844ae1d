using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Dashboard.Hosting;
using TaskQueue.Queues;
using TaskQueue.Scheduling;
using TaskQueue.Storage;
using TaskQueue.Workers;

namespace TaskQueue.Dashboard.Actions;

/// <summary>The actions: POST only, each with the antiforgery token its page's form carries, each through the
/// library (JobStore, TaskQueueClient, WorkerControl, CronControl); then a redirect back (303) with a done-code.</summary>
/// <remarks>In read-only mode every action answers 403. The redirect target is built here, never read from the
/// request, so no action can be turned into an open redirect.</remarks>
internal static class ActionEndpoints
{
    public static void Map(RouteGroupBuilder actions, DashboardSite site)
    {
        actions.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (site.Options.ReadOnly) return Results.Text("This dashboard is read-only.", statusCode: StatusCodes.Status403Forbidden);
            try
            {
                await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Results.Text("The form's antiforgery token is missing or invalid: reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
            }
            try
            {
                return await next(context);
            }
            catch (ArgumentException e)
            {
                // A queue name the core refuses (a comma: RQ's worker hash cannot hold it) came in the URL.
                return Results.Text(e.Message.Split(" (Parameter", 2)[0], statusCode: StatusCodes.Status400BadRequest);
            }
        });

        actions.MapPost("/jobs/{id}/requeue", async (string id, HttpContext http, TaskQueueClient client, CancellationToken ct) =>
            Back(http, site, Job(id), (await client.RequeueAsync([id], cancellationToken: ct))[0].Requeued ? "requeued" : "not-changed"));

        actions.MapPost("/jobs/{id}/cancel", async (string id, HttpContext http, JobStore store, CancellationToken ct) =>
            Back(http, site, Job(id), (await store.CancelAsync(id, ct)).Canceled ? "canceled" : "not-changed"));

        actions.MapPost("/jobs/{id}/stop", async (string id, HttpContext http, WorkerControl control, CancellationToken ct) =>
            Back(http, site, Job(id), await control.StopJobAsync(id, ct) ? "stopping" : "not-changed"));

        actions.MapPost("/jobs/{id}/delete", async (string id, HttpContext http, JobStore store, CancellationToken ct) =>
        {
            var queue = (await store.GetAsync(id, ct))?.Origin;
            if (!(await store.DeleteAsync(id, ct)).Deleted) return Results.NotFound();
            return Back(http, site, queue is null ? "/" : "/queues/" + DashboardSite.Segment(queue), "deleted");
        });

        actions.MapPost("/queues/{name}/empty", async (string name, HttpContext http, TaskQueueClient client, CancellationToken ct) =>
        {
            await client.Queue(name).EmptyAsync(ct);
            return Back(http, site, "/queues/" + DashboardSite.Segment(name), "emptied");
        });

        actions.MapPost("/queues/{name}/pause", async (string name, HttpContext http, TaskQueueClient client, CancellationToken ct) =>
        {
            await client.Queue(name).PauseAsync(cancellationToken: ct);
            return Back(http, site, "/queues/" + DashboardSite.Segment(name), "paused");
        });

        actions.MapPost("/queues/{name}/resume", async (string name, HttpContext http, TaskQueueClient client, CancellationToken ct) =>
        {
            await client.Queue(name).ResumeAsync(ct);
            return Back(http, site, "/queues/" + DashboardSite.Segment(name), "resumed");
        });

        actions.MapPost("/cron/{name}/pause", async (string name, HttpContext http, CronControl cron, CancellationToken ct) =>
            await cron.PauseAsync(name, ct) ? Back(http, site, "/scheduled", "paused") : Results.NotFound());

        actions.MapPost("/cron/{name}/resume", async (string name, HttpContext http, CronControl cron, CancellationToken ct) =>
            await cron.ResumeAsync(name, ct) ? Back(http, site, "/scheduled", "resumed") : Results.NotFound());

        actions.MapPost("/cron/{name}/run", async (string name, HttpContext http, CronControl cron, CancellationToken ct) =>
            await cron.TriggerAsync(name, ct) is { } id ? Back(http, site, Job(id), "triggered") : Results.NotFound());
    }

    private static string Job(string id) => "/jobs/" + DashboardSite.Segment(id);

    private static IResult Back(HttpContext http, DashboardSite site, string path, string done)
    {
        http.Response.Headers.Location = site.Link(http, path) + "?done=" + done;
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }
}
