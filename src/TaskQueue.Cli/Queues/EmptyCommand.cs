using System.CommandLine;
using TaskQueue.Cli.Connection;

namespace TaskQueue.Cli.Queues;

/// <summary><c>taskq empty QUEUE...</c>: deletes every job waiting in the queues.</summary>
internal static class EmptyCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var queues = QueueNames.Arguments("Queues to empty", ArgumentArity.OneOrMore);
        var command = new Command("empty", "Delete every job waiting in the queues (started, scheduled and finished jobs stay)") { queues };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            foreach (var name in parse.GetValue(queues)!)
            {
                var deleted = await session.Client.Queue(name).EmptyAsync(cancellationToken);
                console.Out.WriteLine($"{deleted} job(s) removed from {name}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
