using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TaskQueue.Hosting;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace TaskQueue.Dashboard.Browser.Tests;

/// <summary>A real Kestrel on 127.0.0.1 (a free port) with the dashboard at <c>/jobs</c>, and a worker with the
/// scheduler in the same host, on a key prefix of its own on the test broker.</summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private DashboardServer(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>The dashboard's root, ending in <c>/jobs/</c>.</summary>
    public string Url { get; }

    public TaskQueueClient Client => app.Services.GetRequiredService<TaskQueueClient>();

    public IServiceProvider Services => app.Services;

    public static async Task<DashboardServer> StartAsync(TestBroker broker, Action<TaskQueueBuilder>? tasks = null, string[]? queues = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var queue = builder.Services.AddTaskQueue(o =>
        {
            o.Url = broker.Url;
            o.KeyPrefix = TestBroker.NewPrefix();
        });
        tasks?.Invoke(queue);
        queue.AddWorker(w =>
        {
            w.Queues = queues ?? ["default"];
            w.WithScheduler = true;
            w.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
            w.Concurrency = 4;
        });
        builder.Services.AddTaskQueueDashboard();
        var app = builder.Build();
        app.MapTaskQueueDashboard("/jobs", o => o.PollInterval = TimeSpan.FromSeconds(1));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DashboardServer(app, address + "/jobs/");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
