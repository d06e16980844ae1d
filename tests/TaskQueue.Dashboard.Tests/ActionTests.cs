using System.Net;
using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;
using TaskQueue.Workers;
using Microsoft.Extensions.DependencyInjection;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Actions: POST with the page's antiforgery token, refused without it, refused in read-only mode.</summary>
public sealed class ActionTests(TestBroker broker)
{
    private static int attempts;

    [Fact]
    public async Task Requeue_FailedJobWithToken_QueuedAndRunsToFinished()
    {
        await using var app = await DashboardApp.StartAsync(broker, tasks: t => t.AddTask("tests.flaky", () =>
        {
            if (Interlocked.Increment(ref attempts) == 1) throw new InvalidOperationException("first try fails");
            return "ok";
        }));
        var job = await app.Queue.Queue().EnqueueAsync("tests.flaky");
        await app.RunBurstAsync();
        Assert.Equal(JobStatus.Failed, await job.GetStatusAsync());

        var response = await app.SubmitAsync("/jobs/jobs/" + job.Id, "/jobs/jobs/" + job.Id + "/requeue");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/jobs/jobs/" + job.Id + "?done=requeued", response.Headers.Location!.OriginalString);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        await app.RunBurstAsync();
        Assert.Equal("ok", await job.WaitForResultAsync<string>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Action_WithoutAntiforgeryToken_Refused400AndNothingChanges()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var job = await app.Queue.Queue().EnqueueAsync("tests.echo", [1]);
        await app.GetAsync("/jobs/jobs/" + job.Id); // the antiforgery cookie alone is not enough

        var noToken = await app.PostAsync("/jobs/jobs/" + job.Id + "/delete");
        var badToken = await app.PostAsync("/jobs/jobs/" + job.Id + "/delete", new() { ["__RequestVerificationToken"] = "forged" });

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Fact]
    public async Task Get_OnAnActionUrl_ChangesNothing()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var job = await app.Queue.Queue().EnqueueAsync("tests.echo", [1]);

        var response = await app.Client.GetAsync("/jobs/jobs/" + job.Id + "/delete");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Fact]
    public async Task DeleteAndCancel_WithToken_Applied()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var deleted = await app.Queue.Queue().EnqueueAsync("tests.echo", [1]);
        var canceled = await app.Queue.Queue().EnqueueAsync("tests.echo", [2]);

        var delete = await app.SubmitAsync("/jobs/jobs/" + deleted.Id, "/jobs/jobs/" + deleted.Id + "/delete");
        var cancel = await app.SubmitAsync("/jobs/jobs/" + canceled.Id, "/jobs/jobs/" + canceled.Id + "/cancel");

        Assert.Equal("/jobs/queues/default?done=deleted", delete.Headers.Location!.OriginalString);
        Assert.Null(await deleted.GetStatusAsync());
        Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
        Assert.Equal(JobStatus.Canceled, await canceled.GetStatusAsync());
    }

    [Fact]
    public async Task EmptyQueue_WithToken_WaitingJobsGone()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var job = await app.Queue.Queue("mail").EnqueueAsync("tests.echo", [1]);

        var response = await app.SubmitAsync("/jobs/queues/mail", "/jobs/queues/mail/empty");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Null(await job.GetStatusAsync());
    }

    [Fact]
    public async Task PauseResume_QueueWithToken_PausedThenResumed()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        await app.Queue.Queue("mail").EnqueueAsync("tests.echo", [1]);

        var pause = await app.SubmitAsync("/jobs/queues/mail", "/jobs/queues/mail/pause");
        var paused = await app.GetAsync("/jobs/queues/mail?done=paused");
        var api = await app.GetAsync("/jobs/api/queues");

        Assert.Equal("/jobs/queues/mail?done=paused", pause.Headers.Location!.OriginalString);
        Assert.True((await app.Queue.Queue("mail").GetCountsAsync()).Paused);
        Assert.Contains("<span class=\"status paused\">paused</span>", paused.Body);
        Assert.Contains("\"paused\":true", api.Body);

        await app.SubmitAsync("/jobs/queues/mail", "/jobs/queues/mail/resume");
        Assert.False((await app.Queue.Queue("mail").GetCountsAsync()).Paused);
    }

    [Fact]
    public async Task Action_QueueNameTheCoreRefuses_400()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var (_, body, _) = await app.GetAsync("/jobs/queues/default");
        var token = System.Text.RegularExpressions.Regex.Match(body, "name=\"([^\"]+)\" value=\"([^\"]+)\"");

        var response = await app.PostAsync("/jobs/queues/a%2Cb/pause",
            new() { [token.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(token.Groups[2].Value) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ReadOnly_NoButtonsAndActionsForbidden()
    {
        await using var app = await DashboardApp.StartAsync(broker, o => o.ReadOnly = true);
        var job = await app.Queue.Queue().EnqueueAsync("tests.echo", [1]);

        var (_, body, _) = await app.GetAsync("/jobs/jobs/" + job.Id);
        var post = await app.PostAsync("/jobs/jobs/" + job.Id + "/delete");

        Assert.DoesNotContain("<form method=\"post\"", body);
        Assert.Contains("read-only", body);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
    }

    [Fact]
    public async Task Cron_PauseThenRunNow_FromTheScheduledPage()
    {
        await using var app = await DashboardApp.StartAsync(broker, tasks: t => t.AddCron("nightly", "0 3 * * *", "tests.echo"));
        using var stop = new CancellationTokenSource();
        var worker = new Worker(new WorkerOptions { WithScheduler = true, HeartbeatInterval = TimeSpan.FromMilliseconds(500), Queues = ["idle"] }, app.Services);
        var running = worker.RunAsync(stop.Token);
        var cron = app.Services.GetRequiredService<CronControl>();
        await Eventually.HoldsAsync(async () => (await cron.ListAsync()).Count == 1, "the scheduler to publish its cron entry");
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        var pause = await app.SubmitAsync("/jobs/scheduled", "/jobs/cron/nightly/pause");
        var page = await app.GetAsync("/jobs/scheduled?done=paused");
        var run = await app.SubmitAsync("/jobs/scheduled", "/jobs/cron/nightly/run");

        Assert.Equal("/jobs/scheduled?done=paused", pause.Headers.Location!.OriginalString);
        Assert.True((await cron.ListAsync()).Single().Paused);
        Assert.Contains("/jobs/cron/nightly/resume", page.Body);
        Assert.Equal(HttpStatusCode.SeeOther, run.StatusCode);
        var id = run.Headers.Location!.OriginalString.Split('/')[^1].Split('?')[0];
        Assert.StartsWith("cron:nightly:run:", Uri.UnescapeDataString(id));
        Assert.Equal(JobStatus.Queued, await app.Queue.Job(Uri.UnescapeDataString(id)).GetStatusAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.PostAsync("/jobs/cron/nope/pause", await TokenAsync(app))).StatusCode);
    }

    private static async Task<Dictionary<string, string>> TokenAsync(DashboardApp app)
    {
        var (_, body, _) = await app.GetAsync("/jobs/scheduled");
        var match = System.Text.RegularExpressions.Regex.Match(body, "name=\"([^\"]+)\" value=\"([^\"]+)\"");
        return new() { [match.Groups[1].Value] = System.Net.WebUtility.HtmlDecode(match.Groups[2].Value) };
    }
}
