using System.CommandLine;
using Dundie.Hosting;

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
            List<string> hostArgs = ["--SECURITY:GENERATE_SECRET_KEY=true"];
            if (parseResult.GetValue(data) is { } dataDir)
            {
                hostArgs.Add($"--DATA:DIR={Path.GetFullPath(dataDir)}");
            }
            var builder = ApiHost.CreateBuilder([.. hostArgs]);
            ServeCommand.ListenOn(builder, parseResult.GetValue(urls));
            var app = ApiHost.Build(builder);
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
