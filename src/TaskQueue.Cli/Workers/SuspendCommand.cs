using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;
using TaskQueue.Cli.Queues;

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

    /// <summary><c>taskq resume</c> resumes suspended workers; <c>taskq resume QUEUE...</c> resumes paused queues.</summary>
    public static Command CreateResume(CliConsole console, ConnectionOptions connection)
    {
        var queues = QueueNames.Arguments("Paused queues to resume [default: resume suspended workers]", ArgumentArity.ZeroOrMore);
        var command = new Command("resume", "Resume suspended workers, or the paused queues named") { queues };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var names = parse.GetValue(queues) ?? [];
            if (names.Length == 0)
            {
                await session.Control.ResumeAsync(cancellationToken);
                console.Out.WriteLine("Resumed workers");
                return ExitCodes.Ok;
            }
            foreach (var name in names)
            {
                var wasPaused = await session.Client.Queue(name).ResumeAsync(cancellationToken);
                console.Out.WriteLine(wasPaused ? $"Resumed {name}" : $"{name} was not paused");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
