using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;

namespace TaskQueue.Cli.Queues;

/// <summary><c>taskq pause QUEUE...</c>: workers take none of the queues' jobs until <c>taskq resume QUEUE...</c>.</summary>
internal static class PauseCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var queues = QueueNames.Arguments("Queues to pause", ArgumentArity.OneOrMore);
        var duration = Durations.Option("--duration", "Resume by itself after DURATION [default: until 'taskq resume QUEUE']", minimum: TimeSpan.FromSeconds(1));
        var command = new Command("pause", "Pause queues: workers take none of their jobs (running ones finish); enqueueing still works") { queues, duration };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var ttl = parse.GetValue(duration);
            foreach (var name in parse.GetValue(queues)!)
            {
                await session.Client.Queue(name).PauseAsync(ttl, cancellationToken);
                console.Out.WriteLine(ttl is { } d ? $"Paused {name} for {Durations.Format(d)}" : $"Paused {name}; 'taskq resume {name}' resumes it");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
