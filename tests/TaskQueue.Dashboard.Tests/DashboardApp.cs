using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Hosting;
using TaskQueue.Queues;
using TaskQueue.TestSupport;
using TaskQueue.Workers;

namespace TaskQueue.Dashboard.Tests;

/// <summary>An ASP.NET Core app on a TestServer with the dashboard mounted at <c>/jobs</c>, on its own key prefix of the
/// test broker, and a browser-like client that keeps cookies.</summary>
internal sealed partial class DashboardApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private DashboardApp(WebApplication app, HttpClient client, string prefix)
    {
        this.app = app;
        Client = client;
        Prefix = prefix;
    }

    public HttpClient Client { get; }

    public string Prefix { get; }

    public IServiceProvider Services => app.Services;

    public TaskQueueClient Queue => app.Services.GetRequiredService<TaskQueueClient>();

    public static async Task<DashboardApp> StartAsync(TestBroker broker, Action<DashboardOptions>? dashboard = null, Action<TaskQueueBuilder>? tasks = null)
    {
        var prefix = TestBroker.NewPrefix();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var queue = builder.Services.AddTaskQueue(o =>
        {
            o.Url = broker.Url;
            o.KeyPrefix = prefix;
        });
        tasks?.Invoke(queue);
        builder.Services.AddTaskQueueDashboard();
        var app = builder.Build();
        app.MapTaskQueueDashboard("/jobs", dashboard);
        await app.StartAsync();
        var client = new HttpClient(new CookieContainerHandler { InnerHandler = app.GetTestServer().CreateHandler() }) { BaseAddress = new Uri("http://localhost") };
        return new DashboardApp(app, client, prefix);
    }

    /// <summary>Runs a burst worker over the app's services until the queues are empty.</summary>
    public Task RunBurstAsync(params string[] queues) =>
        new Worker(new WorkerOptions { Burst = true, Queues = queues.Length == 0 ? ["default"] : queues, HeartbeatInterval = TimeSpan.FromMilliseconds(500) },
            app.Services).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Posts the form of the button for <paramref name="action"/> on the page at <paramref name="page"/>, as a
    /// browser would: with the page's antiforgery token and cookie.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string page, string action)
    {
        var (_, body, _) = await GetAsync(page);
        var form = Regex.Match(body, $"<form method=\"post\" class=\"action\" action=\"{Regex.Escape(action)}\"[^>]*><input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">");
        Assert.True(form.Success, $"No form for {action} on {page}:\n{body}");
        return await PostAsync(action, new Dictionary<string, string> { [form.Groups[1].Value] = WebUtility.HtmlDecode(form.Groups[2].Value) });
    }

    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string>? form = null) =>
        Client.PostAsync(path, new FormUrlEncodedContent(form ?? []));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
