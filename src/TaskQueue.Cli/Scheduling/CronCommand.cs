using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using TaskQueue.Cli.Connection;

namespace TaskQueue.Cli.Scheduling;

/// <summary><c>taskq cron list|pause|resume|run NAME</c>: the periodic tasks schedulers publish, from any process.</summary>
internal static class CronCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection) =>
        new("cron", "List, pause, resume or run now the periodic tasks (cron entries) that workers with the scheduler publish")
        {
            List(console, connection),
            Change(console, connection, "pause", "Pause an entry: its ticks are skipped (not kept for later) until resumed", "Paused",
                (session, name, ct) => session.Cron.PauseAsync(name, ct)),
            Change(console, connection, "resume", "Resume a paused entry from its next tick", "Resumed",
                (session, name, ct) => session.Cron.ResumeAsync(name, ct)),
            Run(console, connection),
        };

    private static Command List(CliConsole console, ConnectionOptions connection)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (a stable, machine-readable shape)" };
        var command = new Command("list", "Show each entry's schedule, queue, call, last and next run, and whether it is paused") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var entries = (await session.Cron.ListAsync(cancellationToken)).Select(CronReport.From).ToArray();
            if (parse.GetValue(json))
            {
                console.Out.WriteLine(JsonSerializer.Serialize(entries, CliJson.Indented.CronReportArray));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Rounded).Title("Cron entries");
            foreach (var column in new[] { "name", "schedule", "queue", "call", "last run", "next run", "state" }) table.AddColumn(column);
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape(e.Name), Markup.Escape($"{e.Expression} ({e.TimeZone})"), Markup.Escape(e.Queue), Markup.Escape(e.Description),
                    e.LastRun ?? "", e.Paused ? "" : e.NextRun ?? "", e.Paused ? "[yellow]paused[/]" : "active");
            }
            if (entries.Length == 0) table.AddRow("[grey](none published: a worker with --with-scheduler publishes its entries)[/]");
            console.CreateRenderer().Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Change(CliConsole console, ConnectionOptions connection, string name, string description, string done,
        Func<BrokerSession, string, CancellationToken, Task<bool>> change)
    {
        var entry = new Argument<string>("NAME") { Description = "The entry's name (as in 'taskq cron list')" };
        var command = new Command(name, description) { entry };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var entryName = parse.GetValue(entry)!;
            if (!await change(session, entryName, cancellationToken)) throw NoSuchEntry(entryName);
            console.Out.WriteLine($"{done} cron entry {entryName}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Run(CliConsole console, ConnectionOptions connection)
    {
        var entry = new Argument<string>("NAME") { Description = "The entry's name (as in 'taskq cron list')" };
        var command = new Command("run", "Enqueue the entry's job once, now (paused or not); prints the job id") { entry };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var entryName = parse.GetValue(entry)!;
            console.Out.WriteLine(await session.Cron.TriggerAsync(entryName, cancellationToken) ?? throw NoSuchEntry(entryName));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static CommandFailedException NoSuchEntry(string name) =>
        new($"no cron entry named '{name}' (see 'taskq cron list'; entries appear once a worker with the scheduler has started).");
}
