using System.CommandLine;
using Microsoft.Extensions.Options;

namespace Dundie.Cli;

/// <summary>The <c>dundie</c> command: its subcommands, and how errors reach the user (one line, non-zero exit).</summary>
public static class DundieCommandLine
{
    /// <summary>Parses and runs a command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = Create().Parse(args);
        try
        {
            // Hosts handle SIGINT/SIGTERM themselves (a worker drains its jobs), so System.CommandLine must not
            // kill the process a moment after the first Ctrl+C.
            return await parseResult.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e) when (!IsTestHostStop(e))
        {
            Console.Error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>The root command and every subcommand.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("Dundie: the rewards API, its worker and admin commands.")
        {
            UpCommand.Create(),
            ServeCommand.Create(),
            WorkerCommand.Create(),
            CreateUserCommand.Create(),
            UserListCommand.Create(),
            TransactionCommand.Create(),
            ResetDbCommand.Create(),
            NotifyBalancesCommand.Create(),
        };
        // `dundie --key=value ...` runs the API with those host settings: that is how WebApplicationFactory
        // starts the entry point in tests. Anything else without a subcommand shows the help.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction(async (parseResult, cancellationToken) =>
        {
            var tokens = parseResult.UnmatchedTokens;
            if (tokens.Count > 0 && tokens.All(t => t.StartsWith("--", StringComparison.Ordinal) && t.Contains('=')))
            {
                return await ServeCommand.RunAsync([.. tokens], urls: null, cancellationToken);
            }
            await root.Parse(["--help"]).InvokeAsync(cancellationToken: cancellationToken);
            return tokens.Count > 0 ? 1 : 0;
        });
        return root;
    }

    private static string Describe(Exception e) => e switch
    {
        OptionsValidationException options => string.Join(" ", options.Failures),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        // A stop signal that arrives while a host is still starting (migrating, connecting) cancels the start.
        OperationCanceledException => "interrupted before start-up finished",
        _ => e.Message,
    };

    // WebApplicationFactory stops the entry point right after the host is built by throwing its own exception
    // (HostFactoryResolver's StopTheHostException, internal to Microsoft.Extensions.Hosting); it must propagate.
    private static bool IsTestHostStop(Exception e) => e.GetType().Name == "StopTheHostException";
}
