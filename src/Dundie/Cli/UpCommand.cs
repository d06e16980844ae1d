using System.CommandLine;
using Dundie.Hosting;
using Dundie.Settings;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Dundie.Cli;

/// <summary><c>dundie up [--urls URL] [--data DIR]</c>: everything in one process, for development.</summary>
public static class UpCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {ServeCommand.DefaultUrls})." };
        var data = new Option<string?>("--data")
        {
            Description = "The data folder: SQLite database, broker log, generated secret key (default ./.dundie).",
        };
        var command = new Command("up", "Run the API, an embedded broker and a worker with the scheduler, all in one process.")
        {
            urls,
            data,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Development conveniences: a signing key is generated and kept in the data folder when none is set.
            List<string> hostArgs = [$"--{SecurityOptions.Section}:GENERATE_SECRET_KEY=true"];
            if (parseResult.GetValue(data) is { } dataDir)
            {
                hostArgs.Add($"--{DataOptions.Section}:DIR={Path.GetFullPath(dataDir)}");
            }
            var builder = ApiHost.CreateBuilder([.. hostArgs], queue => queue.AddWorker(worker => worker.WithScheduler = true));
            ServeCommand.ListenOn(builder, parseResult.GetValue(urls));
            using var broker = QueueServices.StartEmbeddedBrokerUnlessConfigured(builder);
            var app = ApiHost.Build(builder);
            app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app));
            var outcome = HostOutcome.Watch(app);
            await app.RunAsync();
            return outcome.ExitCode();
        });
        return command;
    }

    private static void PrintBanner(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? ServeCommand.DefaultUrls;
        var email = app.Services.GetRequiredService<IOptions<EmailOptions>>().Value;
        var redis = app.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
        Console.Out.WriteLine(
            $"""

            Dundie is up.
              API:     {address}   (docs: {address}/docs)
              Broker:  {redis.ConfiguredUrl()}
              Data:    {app.Services.GetRequiredService<IOptions<DataOptions>>().Value.FullPath}
              E-mail:  {(email.DebugMode ? $"debug mode, appended to {Path.GetFullPath(email.LogFile)}" : $"SMTP {email.SmtpServer}:{email.SmtpPort}")}
            Press Ctrl+C to stop.

            """);
    }
}
