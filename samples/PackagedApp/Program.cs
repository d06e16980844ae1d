// One job end to end on the packed libraries: the embedded broker, a producer, a burst worker, the result, the health
// check, and the dashboard mounted in an ASP.NET Core app on a free loopback port, which must show the job finished.
// Exits 0 and prints "greeting: hello, packages" when it all works.
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using TaskQueue;
using TaskQueue.Dashboard;
using TaskQueue.Embedded;
using TaskQueue.Health;
using TaskQueue.Queues;
using TaskQueue.Tasks;
using TaskQueue.Workers;

using var broker = EmbeddedBroker.Start();
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddTaskQueue(o => o.Url = broker.Url).AddTasks(typeof(Greetings).Assembly);
builder.Services.AddHealthChecks().AddTaskQueue();
builder.Services.AddTaskQueueDashboard();
await using var app = builder.Build();
app.MapTaskQueueDashboard("/jobs", o => o.ReadOnly = true);
await app.StartAsync();

var job = await app.Services.GetRequiredService<TaskQueueClient>().Queue().EnqueueAsync(() => Greetings.Hello("packages"));
await new Worker(new WorkerOptions { Burst = true }, app.Services).RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
var greeting = await job.WaitForResultAsync<string>(TimeSpan.FromSeconds(10));
var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var http = new HttpClient { BaseAddress = new Uri(address) };
var page = await http.GetStringAsync($"/jobs/jobs/{job.Id}");
var shown = page.Contains("hello, packages", StringComparison.Ordinal) && page.Contains("finished", StringComparison.Ordinal);
await app.StopAsync();

Console.WriteLine($"greeting: {greeting}");
Console.WriteLine($"health: {health.Status}");
Console.WriteLine($"dashboard {address}/jobs/jobs/{job.Id}: {(shown ? "shows the job finished" : "does not show the job finished")}");
return greeting == "hello, packages" && health.Status == HealthStatus.Healthy && shown ? 0 : 1;

public static class Greetings
{
    [Task("sample.hello")]
    public static string Hello(string name) => $"hello, {name}";
}
