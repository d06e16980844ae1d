using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace TaskQueue.Dashboard.Browser.Tests;

/// <summary>The dashboard as a person uses it, in headless Chromium, against a real server and a real worker.</summary>
public sealed class DashboardBrowserTests(TestBroker broker, Chromium chromium)
{
    private static int flakyAttempts;

    private static void Tasks(TaskQueueBuilder t) => t
        .AddTask("shop.send_receipt", (string email, int order) => $"sent {order} to {email}")
        .AddTask("shop.charge", string (string card) => throw new InvalidOperationException($"card {card} declined"))
        .AddTask("shop.flaky", () => Interlocked.Increment(ref flakyAttempts) == 1 ? throw new TimeoutException("payment gateway timed out") : "charged")
        .AddCron("nightly-report", "0 3 * * *", "shop.send_receipt");

    [Fact]
    public async Task EveryPage_Opens_WithoutScriptErrors()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks);
        var job = await server.Client.Queue().EnqueueAsync("shop.send_receipt", ["pam@dundie.local", 1]);
        await job.WaitForResultAsync<string>(TimeSpan.FromSeconds(20));
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;

        foreach (var (path, heading) in new[]
                 {
                     ("", "Overview"), ("queues/default?state=finished", "Queue default"), ("jobs/" + job.Id, "Job " + job.Id),
                     ("scheduled", "Scheduled & cron"), ("workers", "Workers"), ("search?q=pam", "Search"),
                 })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await Expect(page.Locator("h1")).ToContainTextAsync(heading);
        }

        await page.GotoAsync("workers");
        await Expect(page.Locator("table.workers tbody tr")).ToHaveCountAsync(1);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Overview_NewJobs_CountsAndChartsUpdateWithoutReload()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks, queues: ["default"]);
        await server.Client.Queue("later").EnqueueAsync("shop.send_receipt", ["a@b.c", 1]);
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("");
        var queued = page.Locator("tr[data-queue='later'] td[data-state='queued']");
        await Expect(queued).ToHaveTextAsync("1");

        await server.Client.Queue("later").EnqueueManyAsync(Enumerable.Range(0, 4).Select(i => JobRequest.Create("shop.send_receipt", ["a@b.c", i])));
        await server.Client.Queue("brand-new").EnqueueAsync("shop.send_receipt", ["a@b.c", 9]);

        await Expect(queued).ToHaveTextAsync("5");
        await Expect(page.Locator("tr[data-queue='brand-new'] td[data-state='queued']")).ToHaveTextAsync("1");
        await Expect(page.Locator("#chart-throughput polyline")).ToHaveCountAsync(2);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Search_ByArgumentValue_FromTheHeaderBox()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks, queues: ["idle"]);
        var wanted = await server.Client.Queue().EnqueueAsync("shop.send_receipt", ["jim.halpert@dundie.local", 4711]);
        await server.Client.Queue().EnqueueAsync("shop.send_receipt", ["dwight@dundie.local", 4712]);
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("");

        await page.FillAsync("header input[name=q]", "Jim.Halpert");
        await page.PressAsync("header input[name=q]", "Enter");

        await Expect(page.Locator("#search-summary")).ToContainTextAsync("1 job(s) found");
        await page.ClickAsync($"a:text('{wanted.Id}')");
        await Expect(page.Locator("h1")).ToContainTextAsync(wanted.Id);
        await Expect(page.Locator("#args")).ToContainTextAsync("jim.halpert@dundie.local");
    }

    [Fact]
    public async Task FailedJob_Requeued_SeenToFinish()
    {
        flakyAttempts = 0;
        await using var server = await DashboardServer.StartAsync(broker, Tasks);
        var job = await server.Client.Queue().EnqueueAsync("shop.flaky");
        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Failed, "the first attempt to fail");
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("queues/default?state=failed");
        await page.ClickAsync($"a:text('{job.Id}')");
        await Expect(page.Locator("#exc-info")).ToContainTextAsync("payment gateway timed out");

        await page.ClickAsync("button:text('Requeue')");

        await Expect(page.Locator("p.notice")).ToHaveTextAsync("The job is queued again.");
        await Eventually.HoldsAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("h1 .status").TextContentAsync() == "finished";
        }, "the requeued job to show as finished");
        await Expect(page.Locator("#result")).ToContainTextAsync("charged");
    }

    [Fact]
    public async Task PausedQueue_SkippedByTheWorkerUntilResumed()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks, queues: ["default", "mail"]);
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("queues/default");
        await page.ClickAsync("button:text('Pause')");
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Paused.");
        await Expect(page.Locator("h1 .status")).ToHaveTextAsync("paused");

        // The worker listens to default first: a job after it on mail finishing shows that the worker fetched, and
        // passed default over.
        var held = await server.Client.Queue().EnqueueAsync("shop.send_receipt", ["held@dundie.local", 1]);
        var other = await server.Client.Queue("mail").EnqueueAsync("shop.send_receipt", ["other@dundie.local", 2]);
        await other.WaitForResultAsync<string>(TimeSpan.FromSeconds(20));
        Assert.Equal(JobStatus.Queued, await held.GetStatusAsync());
        await page.GotoAsync("");
        await Expect(page.Locator("tr[data-queue='default'] [data-paused]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-queue='default'] td[data-state='queued']")).ToHaveTextAsync("1");

        await page.GotoAsync("queues/default");
        await page.ClickAsync("button:text('Resume')");
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("Resumed.");
        Assert.Equal("sent 1 to held@dundie.local", await held.WaitForResultAsync<string>(TimeSpan.FromSeconds(20)));
        await page.GotoAsync("");
        await Expect(page.Locator("tr[data-queue='default'] td[data-state='finished']")).ToHaveTextAsync("1");
        await Expect(page.Locator("tr[data-queue='default'] [data-paused]")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task HostileArguments_ShownAsText_NothingRuns()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks);
        var job = await server.Client.Queue().EnqueueAsync("shop.charge", ["<script>alert('xss')</script>\"><img src=x onerror=alert(2)>"],
            options: new EnqueueOptions { Meta = new Dictionary<string, object?> { ["note"] = "<img src=x onerror=alert(3)>" } });
        await Eventually.HoldsAsync(async () => await job.GetStatusAsync() == JobStatus.Failed, "the job to fail");
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;

        foreach (var path in new[] { "jobs/" + job.Id, "queues/default?state=failed", "search?q=onerror" })
        {
            await page.GotoAsync(path);
            await Expect(page.Locator("td.call, dd.call").First).ToContainTextAsync("<script>alert(");
            await Expect(page.Locator("td.call, dd.call").First).ToContainTextAsync("<img src=x onerror=alert(2)>");
        }

        Assert.Empty(browser.Dialogs);
        Assert.Equal(0, await page.Locator("main img").CountAsync());
    }

    [Fact]
    public async Task Cron_PausedAndRunNow_FromTheScheduledPage()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks, queues: ["idle"]);
        var cron = server.Services.GetRequiredService<CronControl>();
        await Eventually.HoldsAsync(async () => (await cron.ListAsync()).Count == 1, "the scheduler to publish its entry");
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("scheduled");
        var row = page.Locator("tr[data-cron='nightly-report']");

        await row.Locator("button:text('Pause')").ClickAsync();
        await Expect(row.Locator(".status")).ToHaveTextAsync("paused");
        Assert.True((await cron.ListAsync()).Single().Paused);

        await row.Locator("button:text('Run now')").ClickAsync();
        await Expect(page.Locator("p.notice")).ToHaveTextAsync("The job is enqueued.");
        await Expect(page.Locator("h1")).ToContainTextAsync("cron:nightly-report:run:");

        await page.GotoAsync("scheduled");
        await row.Locator("button:text('Resume')").ClickAsync();
        await Expect(row.Locator(".status")).ToHaveTextAsync("active");
    }

    [Fact]
    public async Task Overview_Screenshot_SavedAsArtifact()
    {
        await using var server = await DashboardServer.StartAsync(broker, Tasks, queues: ["default", "mail"]);
        var mail = server.Client.Queue("mail");
        var receipts = await mail.EnqueueManyAsync(Enumerable.Range(0, 300).Select(i => JobRequest.Create("shop.send_receipt", [$"customer{i}@dundie.local", i])));
        await server.Client.Queue().EnqueueManyAsync(Enumerable.Range(0, 12).Select(i => JobRequest.Create("shop.charge", [$"4111-{i:0000}"])));
        await server.Client.Queue("reports").EnqueueManyAsync(Enumerable.Range(0, 40).Select(i => JobRequest.Create("shop.send_receipt", ["boss@dundie.local", i])));
        await receipts[^1].WaitAsync(TimeSpan.FromSeconds(60));
        await using var browser = await chromium.NewPageAsync(server.Url);
        var page = browser.Page;
        await page.GotoAsync("");
        await Expect(page.Locator("#chart-throughput polyline")).ToHaveCountAsync(2);
        // Queue ages are sampled once per 10 s bucket, the first one at start-up, before these queues existed.
        await Expect(page.Locator("#chart-age polyline").First).ToBeAttachedAsync(new() { Timeout = 25_000 });

        var folder = Environment.GetEnvironmentVariable("DASHBOARD_ARTIFACTS") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "overview.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });

        Assert.True(new FileInfo(file).Length > 10_000, $"the screenshot at {file} is too small to show anything");
        Assert.Empty(browser.Errors);
    }
}
