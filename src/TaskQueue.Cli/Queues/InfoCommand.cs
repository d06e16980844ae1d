using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;

namespace TaskQueue.Cli.Queues;

/// <summary><c>taskq info</c>: queues with their job counts per state, and live workers with their state.</summary>
internal static class InfoCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var queues = QueueNames.Arguments("Show only these queues [default: all]", ArgumentArity.ZeroOrMore);
        var json = new Option<bool>("--json") { Description = "Print JSON (a stable, machine-readable shape); with --interval, one object per line" };
        var interval = Durations.Option("--interval", "Refresh every DURATION until Ctrl+C", minimum: TimeSpan.FromMilliseconds(100));
        var command = new Command("info", "Show queues (job counts per state) and workers (state, current job)") { queues, json, interval };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var only = parse.GetValue(queues) ?? [];
            var asJson = parse.GetValue(json);
            var renderer = asJson ? null : console.CreateRenderer();
            if (parse.GetValue(interval) is not { } every)
            {
                Write(await ReadAsync(session, only, cancellationToken), asJson, CliJson.Indented, renderer);
                return ExitCodes.Ok;
            }

            using var stop = StopSignal.Listen(cancellationToken);
            try
            {
                while (true)
                {
                    var report = await ReadAsync(session, only, stop.Token);
                    if (renderer is not null && console.IsTerminal) renderer.Clear(home: true);
                    Write(report, asJson, CliJson.Compact, renderer);
                    await Task.Delay(every, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
            {
                return ExitCodes.Ok;
            }
        });
        return command;

        // With --interval, JSON goes out one line per snapshot, so the stream reads as JSON Lines.
        void Write(InfoReport report, bool asJson, CliJson format, IAnsiConsole? renderer)
        {
            if (asJson)
            {
                console.Out.WriteLine(JsonSerializer.Serialize(report, format.InfoReport));
                console.Out.Flush();
            }
            else
            {
                renderer!.Write(InfoView.Render(report, DateTimeOffset.UtcNow));
            }
        }
    }

    private static async Task<InfoReport> ReadAsync(BrokerSession session, IReadOnlyCollection<string> only, CancellationToken cancellationToken)
    {
        var queues = only.Count == 0
            ? await session.Monitor.GetQueuesAsync(cancellationToken)
            : await Task.WhenAll(only.Select(q => session.Monitor.GetQueueAsync(q, cancellationToken)));
        var workers = await session.Monitor.GetWorkersAsync(cancellationToken);
        if (only.Count > 0) workers = workers.Where(w => w.Queues.Any(only.Contains)).ToArray();
        var suspended = await session.Control.IsSuspendedAsync(cancellationToken);
        return new InfoReport(suspended, queues.Select(QueueReport.From).ToArray(), workers.Select(WorkerReport.From).ToArray());
    }
}
