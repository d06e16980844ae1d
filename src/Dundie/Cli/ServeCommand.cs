using System.CommandLine;
using Dundie.Hosting;

namespace Dundie.Cli;

/// <summary><c>dundie serve [--urls URL]</c>: the API alone; jobs are run by <c>dundie worker</c> processes.</summary>
public static class ServeCommand
{
    /// <summary>Where the API listens unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:8000";

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {DefaultUrls})." };
        var command = new Command("serve", "Run the API (without a worker).") { urls };
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync([], parseResult.GetValue(urls), cancellationToken));
        return command;
    }

    /// <summary>Builds and runs the API until the process is asked to stop.</summary>
    internal static async Task<int> RunAsync(string[] hostArgs, string? urls, CancellationToken cancellationToken)
    {
        var builder = ApiHost.CreateBuilder(hostArgs);
        ListenOn(builder, urls);
        using var broker = QueueServices.StartEmbeddedBrokerUnlessConfigured(builder);
        var app = ApiHost.Build(builder);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Applies <c>--urls</c>, or the default when no setting names any.</summary>
    internal static void ListenOn(WebApplicationBuilder builder, string? urls)
    {
        if (urls is not null || builder.Configuration["urls"] is null)
        {
            builder.WebHost.UseUrls(urls ?? DefaultUrls);
        }
    }
}
