// One job end to end on the packed libraries: the embedded broker, a producer, a burst worker, the result.
// Exits 0 and prints "greeting: hello, packages" when it all works.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TaskQueue;
using TaskQueue.Embedded;
using TaskQueue.Health;
using TaskQueue.Queues;
using TaskQueue.Tasks;
using TaskQueue.Workers;

using var broker = EmbeddedBroker.Start();
var services = new ServiceCollection();
services.AddLogging();
services.AddTaskQueue(o => o.Url = broker.Url).AddTasks(typeof(Greetings).Assembly);
services.AddHealthChecks().AddTaskQueue();
await using var provider = services.BuildServiceProvider();

var job = await provider.GetRequiredService<TaskQueueClient>().Queue().EnqueueAsync(() => Greetings.Hello("packages"));
await new Worker(new WorkerOptions { Burst = true }, provider).RunAsync().WaitAsync(TimeSpan.FromSeconds(60));
var greeting = await job.WaitForResultAsync<string>(TimeSpan.FromSeconds(10));
var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

Console.WriteLine($"greeting: {greeting}");
Console.WriteLine($"health: {health.Status}");
return greeting == "hello, packages" && health.Status == HealthStatus.Healthy ? 0 : 1;

public static class Greetings
{
    [Task("sample.hello")]
    public static string Hello(string name) => $"hello, {name}";
}
