using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TaskQueue.Cli.Broker;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Jobs;
using TaskQueue.Cli.Queues;
using TaskQueue.Cli.Workers;
using TaskQueue.Connection;

namespace TaskQueue.Cli;

/// <summary>The <c>taskq</c> command line: builds the command tree and turns every way a command can end
/// into one line on stderr and an exit code (0 ok, 1 failed, 2 usage).</summary>
internal static class Taskq
{
    /// <summary>Builds the root command; every command writes to <paramref name="console"/>.</summary>
    public static RootCommand Build(CliConsole console)
    {
        var connection = new ConnectionOptions();
        var root = new RootCommand("taskq: run TaskQueue workers, enqueue and inspect jobs, control workers, run the embedded broker.")
        {
            connection.Url,
            connection.Prefix,
            WorkerCommand.Create(console, connection),
            EnqueueCommand.Create(console, connection),
            JobCommand.Create(console, connection),
            InfoCommand.Create(console, connection),
            RequeueCommand.Create(console, connection),
            EmptyCommand.Create(console, connection),
            CancelCommand.Create(console, connection),
            StopJobCommand.Create(console, connection),
            SuspendCommand.Create(console, connection),
            SuspendCommand.CreateResume(console, connection),
            Scheduling.CronCommand.Create(console, connection),
            Dashboard.DashboardCommand.Create(console, connection),
            PauseCommand.Create(console, connection),
            LimitCommand.Create(console, connection),
            BrokerCommand.Create(console),
        };
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    /// <param name="cancellationToken">Stops a long-running command (info --interval, broker) as Ctrl+C would.</param>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var parse = Build(console).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            var command = parse.CommandResult.Command;
            var help = command is RootCommand ? "taskq --help" : $"taskq {command.Name} --help";
            return Fail(console, ExitCodes.Usage, $"{parse.Errors[0].Message.TrimEnd('.')} (see '{help}')");
        }

        var invocation = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            // Errors are reported below, one line each; stack traces are for bugs, not for user mistakes.
            EnableDefaultExceptionHandler = false,
            // Signals are the commands' own business: the worker drains on the first and stops on the second,
            // which System.CommandLine's handler (cancel, then end the process after a timeout) would cut short.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (UsageException e)
        {
            return Fail(console, ExitCodes.Usage, e.Message);
        }
        catch (OptionsValidationException e)
        {
            // Settings the parser let through but the worker refuses (WorkerOptions.Problems).
            return Fail(console, ExitCodes.Usage, string.Join(" ", e.Failures));
        }
        catch (CommandFailedException e)
        {
            return Fail(console, ExitCodes.Failed, e.Message);
        }
        catch (TaskQueueConnectionException e)
        {
            return Fail(console, ExitCodes.Failed, e.Message);
        }
        catch (RedisServerException e)
        {
            // The broker answered, with an error: saying it did not answer would send the user after the network.
            return Fail(console, ExitCodes.Failed, Refusal(e));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return Fail(console, ExitCodes.Failed, $"the broker did not answer: {e.Message}");
        }
    }

    /// <summary>The broker's error reply, with what to do about the one a user meets in operation: a full broker.</summary>
    private static string Refusal(RedisServerException e)
    {
        // StackExchange.Redis 3 prefixes the server's text with the RESP type ("SimpleError: OOM ...").
        var reply = e.Message.StartsWith("SimpleError: ", StringComparison.Ordinal) ? e.Message["SimpleError: ".Length..] : e.Message;
        return reply.Contains("OOM command not allowed", StringComparison.Ordinal)
            ? $"the broker is out of memory and refused the command (its maxmemory is reached; free memory or raise maxmemory, then try again): {reply}"
            : $"the broker refused the command: {reply}";
    }

    private static int Fail(CliConsole console, int code, string message)
    {
        console.Error.WriteLine($"taskq: {message}");
        return code;
    }
}
