using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Dashboard;
using TaskQueue.Interop.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests;

/// <summary>The dashboard's pages over what Python RQ wrote: its jobs (results and failures in its streams) and its
/// worker, busy with a job.</summary>
public sealed class DashboardTests(InteropServer server)
{
    [Fact(Timeout = 90_000)]
    public async Task Pages_RqJobsAndRqWorker_Rendered()
    {
        await using var test = await InteropTest.CreateAsync(server);
        var added = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.add", args = new[] { 20, 22 } });
        var failed = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.fail", args = new[] { "rq <b>boom</b>" } });
        test.StartRqWorker("default", "--name", "py-dash");
        await test.WaitForStatusAsync(added, JobStatus.Finished);
        await test.WaitForStatusAsync(failed, JobStatus.Failed);
        var sleeping = await test.EnqueueFromPythonAsync(new { func = "interop_tasks.sleep", args = new[] { 5 } });
        await test.WaitForStatusAsync(sleeping, JobStatus.Started);
        await using var app = await StartDashboardAsync(test.Url);
        using var http = app.GetTestClient();

        var overview = await http.GetStringAsync("/jobs/");
        var finished = await http.GetStringAsync("/jobs/jobs/" + added);
        var failure = await http.GetStringAsync("/jobs/jobs/" + failed);
        var workers = await http.GetStringAsync("/jobs/workers");
        var search = await http.GetStringAsync("/jobs/search?q=rq+%3Cb%3Eboom");

        Assert.Contains("<tr data-queue=\"default\">", overview);
        Assert.Contains("interop_tasks.add(20, 22)", finished);
        Assert.Matches("id=\"result\">42</pre>", finished);
        Assert.Contains("rq &lt;b&gt;boom&lt;/b&gt;", failure[failure.IndexOf("id=\"exc-info\"", StringComparison.Ordinal)..]);
        Assert.Contains("<tr id=\"py-dash\">", workers);
        Assert.Contains($"/jobs/jobs/{sleeping}\">{sleeping}</a>", workers);
        Assert.Contains(failed, search);
    }

    private static async Task<WebApplication> StartDashboardAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTaskQueue(o => o.Url = url);
        builder.Services.AddTaskQueueDashboard();
        var app = builder.Build();
        app.MapTaskQueueDashboard("/jobs");
        await app.StartAsync();
        return app;
    }
}
