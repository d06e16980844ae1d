using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;

namespace TaskQueue.Cli.Workers;

/// <summary><c>taskq suspend</c> and <c>taskq resume</c>: workers (ours and RQ's) take no new jobs while suspended.</summary>
internal static class SuspendCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var duration = Durations.Option("--duration", "Resume by itself after DURATION [default: until 'taskq resume']", minimum: TimeSpan.FromSeconds(1));
        var command = new Command("suspend", "Suspend workers: they finish running jobs and take no new ones until resumed") { duration };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var ttl = parse.GetValue(duration);
            await session.Control.SuspendAsync(ttl, cancellationToken);
            console.Out.WriteLine(ttl is { } d ? $"Suspended workers for {Durations.Format(d)}" : "Suspended workers; 'taskq resume' resumes them");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateResume(CliConsole console, ConnectionOptions connection)
    {
        var command = new Command("resume", "Resume suspended workers");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            await session.Control.ResumeAsync(cancellationToken);
            console.Out.WriteLine("Resumed workers");
            return ExitCodes.Ok;
        });
        return command;
    }
}
