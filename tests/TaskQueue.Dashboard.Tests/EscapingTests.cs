using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Tests;

/// <summary>Values from Redis are attacker-controlled: markup in arguments, meta, exc_info or a queue name is shown as
/// text, never run.</summary>
public sealed class EscapingTests(TestBroker broker)
{
    private const string Script = "<script>alert(1)</script>";
    private const string Breakout = "\"><img src=x onerror=alert(2)>";

    [Fact]
    public async Task HostileJob_EveryPage_ShowsItEncoded()
    {
        await using var app = await DashboardApp.StartAsync(broker, tasks: t => t.AddTask("tests.fail", string (string a, string b) => throw new InvalidOperationException(a + b)));
        var queue = "q" + Breakout;
        var job = await app.Queue.Queue(queue).EnqueueAsync("tests.fail", [Script, Breakout],
            options: new EnqueueOptions { Meta = new Dictionary<string, object?> { ["note"] = Script }, Description = Breakout + Script });
        var failed = await app.Queue.Queue().EnqueueAsync("tests.fail", [Script, Breakout]);
        await app.RunBurstAsync("default");

        var pages = new[]
        {
            "/jobs/", "/jobs/queues/" + Uri.EscapeDataString(queue), "/jobs/jobs/" + job.Id, "/jobs/jobs/" + failed.Id,
            "/jobs/queues/default?state=failed", "/jobs/search?q=" + Uri.EscapeDataString("alert"), "/jobs/search?q=" + Uri.EscapeDataString(Breakout),
        };
        foreach (var path in pages)
        {
            var (_, body, _) = await app.GetAsync(path);
            Assert.DoesNotContain("<script>alert", body);
            Assert.DoesNotContain("<img src=x", body);
            Assert.DoesNotContain("onerror=alert(2)>", body.Replace("onerror=alert(2)&gt;", ""));
        }
        var (_, failedPage, _) = await app.GetAsync("/jobs/jobs/" + failed.Id);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", failedPage);
    }

    [Fact]
    public async Task SearchQuery_Reflected_Encoded()
    {
        await using var app = await DashboardApp.StartAsync(broker);

        var (_, body, _) = await app.GetAsync("/jobs/search?q=" + Uri.EscapeDataString(Breakout));

        Assert.Contains("value=\"&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\"", body);
    }

    [Fact]
    public async Task DoneCode_Unknown_NotShown()
    {
        await using var app = await DashboardApp.StartAsync(broker);

        var (_, body, _) = await app.GetAsync("/jobs/?done=" + Uri.EscapeDataString("Your session expired, log in at evil.example"));

        Assert.DoesNotContain("evil.example", body);
    }
}
