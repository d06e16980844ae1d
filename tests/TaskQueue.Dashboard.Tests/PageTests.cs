using System.Net;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Every page renders what the broker holds, and refuses bad input with a 4xx.</summary>
public sealed class PageTests(TestBroker broker)
{
    [Fact]
    public async Task Overview_QueuesWithJobs_CountsAndStrictHeaders()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        await app.Queue.Queue("mail").EnqueueAsync("tests.echo", [1]);
        await app.Queue.Queue("mail").EnqueueAsync("tests.echo", [2]);

        var (status, body, response) = await app.GetAsync("/jobs/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<tr data-queue=\"mail\">", body);
        Assert.Contains("<td class=\"count\" data-state=\"queued\"><a href=\"/jobs/queues/mail?state=queued\">2</a>", body);
        Assert.Contains("id=\"chart-throughput\"", body);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("<script>", body);
        Assert.Contains("<script src=\"/jobs/assets/dashboard.js\" defer></script>", body);
    }

    [Fact]
    public async Task Assets_Embedded_ServedWithTypes()
    {
        await using var app = await DashboardApp.StartAsync(broker);

        var js = await app.Client.GetAsync("/jobs/assets/dashboard.js");
        var css = await app.Client.GetAsync("/jobs/assets/dashboard.css");
        var other = await app.Client.GetAsync("/jobs/assets/..%2Fsecrets");

        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Contains("textContent", await js.Content.ReadAsStringAsync());
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task QueuePage_SecondPage_ShowsTheNextJobsByRank()
    {
        await using var app = await DashboardApp.StartAsync(broker, o => o.PageSize = 10);
        var jobs = await app.Queue.Queue().EnqueueManyAsync(Enumerable.Range(0, 25).Select(i => JobRequest.Create("tests.echo", [i])));

        var (status, body, _) = await app.GetAsync("/jobs/queues/default?state=queued&page=2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Page 2 of 3 (25 job(s))", body);
        Assert.Contains(jobs[10].Id, body);
        Assert.Contains(jobs[19].Id, body);
        Assert.DoesNotContain(jobs[9].Id, body);
        Assert.DoesNotContain(jobs[20].Id, body);
    }

    [Theory]
    [InlineData("/jobs/queues/default?state=bogus")]
    [InlineData("/jobs/queues/default?page=0")]
    [InlineData("/jobs/queues/default?page=abc")]
    [InlineData("/jobs/api/queues/default?state=3")]
    [InlineData("/jobs/api/search?q=")]
    [InlineData("/jobs/api/search?q=x&cursor=notanumber")]
    public async Task BadQuery_Answers400(string path)
    {
        await using var app = await DashboardApp.StartAsync(broker);

        var (status, _, _) = await app.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task JobPage_FailedJob_CallTimelineAndException()
    {
        await using var app = await DashboardApp.StartAsync(broker, tasks: t => t.AddTask("tests.fail", string (string message) => throw new InvalidOperationException(message)));
        var job = await app.Queue.Queue().EnqueueAsync("tests.fail", ["disk is full"]);
        await app.RunBurstAsync();

        var (status, body, _) = await app.GetAsync("/jobs/jobs/" + job.Id);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<span class=\"status failed\">failed</span>", body);
        Assert.Contains("tests.fail(&#x27;disk is full&#x27;)", body);
        Assert.Contains("disk is full", body[body.IndexOf("id=\"exc-info\"", StringComparison.Ordinal)..]);
        Assert.Contains("enqueued", body);
        Assert.Contains("ended", body);
        Assert.Contains("/jobs/jobs/" + job.Id + "/requeue", body);
    }

    [Fact]
    public async Task JobPage_Missing_404()
    {
        await using var app = await DashboardApp.StartAsync(broker);

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/jobs/jobs/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync("/jobs/api/jobs/nope")).Status);
    }

    [Fact]
    public async Task SearchPage_ArgumentValue_FindsTheJob()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        var wanted = await app.Queue.Queue().EnqueueAsync("tests.echo", ["order-9f3k"]);
        await app.Queue.Queue().EnqueueAsync("tests.echo", ["order-other"]);

        var (status, body, _) = await app.GetAsync("/jobs/search?q=9F3K");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("1 job(s) found", body);
        Assert.Contains(wanted.Id, body);
    }

    [Fact]
    public async Task WorkersAndScheduledPages_Render()
    {
        await using var app = await DashboardApp.StartAsync(broker);
        await app.Queue.Queue().EnqueueAsync("tests.echo", [1], options: new EnqueueOptions { EnqueueIn = TimeSpan.FromHours(1) });

        var workers = await app.GetAsync("/jobs/workers");
        var scheduled = await app.GetAsync("/jobs/scheduled");

        Assert.Equal(HttpStatusCode.OK, workers.Status);
        Assert.Contains("No live workers.", workers.Body);
        Assert.Equal(HttpStatusCode.OK, scheduled.Status);
        Assert.Contains("tests.echo(1)", scheduled.Body);
    }
}
