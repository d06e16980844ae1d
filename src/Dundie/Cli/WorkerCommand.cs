using System.CommandLine;
using Dundie.Hosting;
using Dundie.Settings;
using TaskQueue.Connection;

namespace Dundie.Cli;

/// <summary><c>dundie worker [QUEUES...] [--with-scheduler] [--url redis://...] [--burst] [--concurrency N] [--heartbeat 5s]</c>.</summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var queues = new Argument<string[]>("QUEUES")
        {
            Description = "Queues to listen on, highest priority first (default: default).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var withScheduler = new Option<bool>("--with-scheduler") { Description = "Also run scheduled and periodic jobs when due." };
        var url = new Option<string?>("--url") { Description = "The broker (default: DUNDIE_REDIS__URL, or redis://127.0.0.1:6379)." };
        var burst = new Option<bool>("--burst") { Description = "Exit once the queues are empty." };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Jobs run at once (default 1).",
            DefaultValueFactory = _ => 1,
        };
        var heartbeat = Durations.Option("--heartbeat",
            "How often the worker proves it is alive; jobs of a killed worker go back to their queue within about two of these (default 5s).",
            minimum: TimeSpan.FromMilliseconds(100));
        var command = new Command("worker", "Run queued jobs (e-mail, scheduled transfers).")
        {
            queues,
            withScheduler,
            url,
            burst,
            concurrency,
            heartbeat,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddDundieSources();
            if (parseResult.GetValue(url) is { } brokerUrl)
            {
                builder.Configuration.AddInMemoryCollection([new($"{RedisOptions.Section}:URL", brokerUrl)]);
            }
            builder.Services.AddDundieCore();
            builder.Services.AddDundieTelemetry(builder.Configuration, "dundie-worker", web: false);
            builder.Services.AddDundieQueue(builder.Configuration).AddWorker(worker =>
            {
                if (parseResult.GetValue(queues) is { Length: > 0 } names)
                {
                    worker.Queues = names;
                }
                worker.WithScheduler = parseResult.GetValue(withScheduler);
                worker.Burst = parseResult.GetValue(burst);
                worker.Concurrency = parseResult.GetValue(concurrency);
                if (parseResult.GetValue(heartbeat) is { } interval)
                {
                    worker.HeartbeatInterval = interval;
                }
            });
            using var host = builder.Build();
            // Fail here with one clear line, rather than inside a background service, when the broker is down.
            await host.Services.GetRequiredService<BrokerConnection>().GetAsync(cancellationToken);
            var outcome = HostOutcome.Watch(host);
            await host.RunAsync();
            return outcome.ExitCode();
        });
        return command;
    }
}
