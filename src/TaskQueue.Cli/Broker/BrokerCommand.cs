using System.CommandLine;
using TaskQueue.Embedded;

namespace TaskQueue.Cli.Broker;

/// <summary><c>taskq broker</c>: runs the embedded Redis-compatible broker (Garnet) as a standalone server for
/// development, until Ctrl+C or SIGTERM.</summary>
internal static class BrokerCommand
{
    public static Command Create(CliConsole console)
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1; 0 picks a free one [default: 6379]", DefaultValueFactory = _ => 6379 };
        port.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 65535) r.AddError("--port must be between 0 and 65535.");
        });
        var dir = new Option<string?>("--dir", "-d") { Description = "Keep an append-only log in this folder, so jobs survive a restart [default: memory only]", HelpName = "PATH" };
        var command = new Command("broker", "Run the embedded broker (loopback only) until Ctrl+C") { port, dir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var stop = StopSignal.Listen(cancellationToken);
            var folder = parse.GetValue(dir) is { } d ? Path.GetFullPath(d) : null;
            EmbeddedBroker broker;
            try
            {
                broker = EmbeddedBroker.Start(parse.GetValue(port), folder);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new CommandFailedException($"cannot start the broker on port {parse.GetValue(port)}: {Innermost(e).Message}");
            }
            using (broker)
            {
                console.Out.WriteLine($"Broker listening on {broker.Url} ({(folder is null ? "in memory" : "data in " + folder)}); Ctrl+C stops it");
                console.Out.Flush();
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            console.Out.WriteLine("Broker stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
