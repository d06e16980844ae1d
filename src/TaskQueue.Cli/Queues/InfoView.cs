using Spectre.Console;
using Spectre.Console.Rendering;

namespace TaskQueue.Cli.Queues;

/// <summary>Renders an <see cref="InfoReport"/> as Spectre.Console tables, one for queues, one for workers.</summary>
internal static class InfoView
{
    public static IRenderable Render(InfoReport report, DateTimeOffset now)
    {
        var queues = new Table().Border(TableBorder.Rounded).Title("Queues");
        foreach (var column in new[] { "queue", "queued", "started", "finished", "failed", "deferred", "scheduled", "canceled", "limits" })
        {
            queues.AddColumn(new TableColumn(column) { Alignment = column is "queue" or "limits" ? Justify.Left : Justify.Right });
        }
        foreach (var q in report.Queues)
        {
            queues.AddRow(Markup.Escape(q.Name) + (q.Paused ? " [yellow](paused)[/]" : ""), Count(q.Queued), Count(q.Started), Count(q.Finished), Count(q.Failed, "red"),
                Count(q.Deferred), Count(q.Scheduled), Count(q.Canceled), Limits(q.Limits));
        }
        if (report.Queues.Count == 0) queues.AddRow("[grey](no queues)[/]");

        var workers = new Table().Border(TableBorder.Rounded).Title("Workers");
        foreach (var column in new[] { "worker", "state", "queues", "current job", "pid", "host", "heartbeat", "ok", "failed" })
        {
            workers.AddColumn(new TableColumn(column) { Alignment = column is "ok" or "failed" or "pid" ? Justify.Right : Justify.Left });
        }
        foreach (var w in report.Workers)
        {
            var state = w.State == "busy" ? "[yellow]busy[/]" : Markup.Escape(w.State);
            workers.AddRow(Markup.Escape(w.Name), state, Markup.Escape(string.Join(", ", w.Queues)), Markup.Escape(w.CurrentJob ?? ""),
                w.Pid?.ToString() ?? "", Markup.Escape(w.Hostname ?? ""), Ago(w.LastHeartbeat, now), w.SuccessfulJobCount.ToString(),
                Count(w.FailedJobCount, "red"));
        }
        if (report.Workers.Count == 0) workers.AddRow("[grey](no workers)[/]");

        var rows = new List<IRenderable> { queues, workers };
        if (report.Suspended) rows.Insert(0, new Markup("[yellow]Workers are suspended: they take no new jobs until 'taskq resume'.[/]"));
        return new Rows(rows);
    }

    private static string Limits(LimitsReport limits)
    {
        var parts = new List<string>(2);
        if (limits.Rate is { } rate) parts.Add($"{rate.Count}/{(rate.PerMs % 1000 == 0 ? $"{rate.PerMs / 1000}s" : $"{rate.PerMs}ms")}");
        if (limits.Concurrency is { } most) parts.Add($"{most} at once");
        return Markup.Escape(string.Join(", ", parts));
    }

    private static string Count(long value, string? color = null) =>
        value > 0 && color is not null ? $"[{color}]{value}[/]" : value.ToString();

    private static string Ago(string? iso, DateTimeOffset now)
    {
        if (TaskQueue.Storage.RqTime.ParseIso(iso) is not { } then) return "";
        var seconds = Math.Max(0, (now - then).TotalSeconds);
        return seconds < 60 ? $"{seconds:0}s ago" : $"{seconds / 60:0}m ago";
    }
}
