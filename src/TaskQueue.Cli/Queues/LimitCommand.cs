using System.CommandLine;
using System.Globalization;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;
using TaskQueue.Queues;

namespace TaskQueue.Cli.Queues;

/// <summary><c>taskq limit QUEUE [--rate N/DURATION] [--concurrency K] [--clear]</c>: shows or sets how a queue's jobs may
/// start across all workers. Without options it shows the limits; a limit not named keeps its value.</summary>
internal static class LimitCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var queue = new Argument<string>("QUEUE") { Description = "The queue to show or limit" };
        queue.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is var name && (string.IsNullOrWhiteSpace(name) || name.Contains(',')))
            {
                r.AddError($"'{name}' is not a valid queue name (no blanks, no commas).");
            }
        });
        var rate = new Option<string?>("--rate")
        {
            Description = "At most N jobs started per DURATION across all workers, e.g. 10/s, 100/m, 5/500ms; 'none' removes it",
            HelpName = "N/DURATION",
        };
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && text != "none" && !TryParseRate(text, out _))
            {
                r.AddError($"--rate: '{text}' is not N/DURATION from 1/1ms to {QueueLimits.MaxCount}/1d (e.g. 10/s, 100/m), or none.");
            }
        });
        var concurrency = new Option<string?>("--concurrency")
        {
            Description = "At most K of the queue's jobs running at once across all workers; 'none' removes it",
            HelpName = "K",
        };
        concurrency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && text != "none" && !TryParseCount(text, out _))
            {
                r.AddError($"--concurrency: '{text}' is not a whole number from 1 to {QueueLimits.MaxCount}, or none.");
            }
        });
        var clear = new Option<bool>("--clear") { Description = "Remove every limit of the queue" };
        var json = new Option<bool>("--json") { Description = "Print the limits as JSON" };
        var command = new Command("limit", "Show or set a queue's rate and concurrency limits (ours; RQ's workers ignore them)")
        {
            queue, rate, concurrency, clear, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(clear) is not null && (r.GetResult(rate) is not null || r.GetResult(concurrency) is not null))
            {
                r.AddError("--clear cannot be used with --rate or --concurrency.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var name = parse.GetValue(queue)!;
            var target = session.Client.Queue(name);
            var limits = await target.GetLimitsAsync(cancellationToken);
            var changed = parse.GetValue(clear);
            if (changed) limits = QueueLimits.None;
            if (parse.GetValue(rate) is { } perInterval)
            {
                limits = limits with { Rate = perInterval == "none" ? null : TryParseRate(perInterval, out var parsed) ? parsed : null };
                changed = true;
            }
            if (parse.GetValue(concurrency) is { } most)
            {
                limits = limits with { Concurrency = most == "none" ? null : TryParseCount(most, out var k) ? k : null };
                changed = true;
            }
            if (changed) await target.SetLimitsAsync(limits, cancellationToken);
            if (parse.GetValue(json)) console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(LimitsReport.From(limits), CliJson.Indented.LimitsReport));
            else console.Out.WriteLine($"{name}: {limits}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Parses <c>N/DURATION</c>: <c>10/s</c>, <c>100/1m</c>, <c>5/500ms</c>.</summary>
    internal static bool TryParseRate(string text, out RateLimit? rate)
    {
        rate = null;
        var slash = text.IndexOf('/');
        if (slash < 0 || !TryParseCount(text[..slash], out var count)) return false;
        var per = text[(slash + 1)..];
        // "10/s" reads as ten per one second.
        if (per.Length > 0 && per.All(char.IsAsciiLetter)) per = "1" + per;
        if (!Durations.TryParse(per, allowForever: false, out var span) || span.Ticks % TimeSpan.TicksPerMillisecond != 0) return false;
        var parsed = new RateLimit(count, span);
        if (new QueueLimits { Rate = parsed }.Problems().Count > 0) return false;
        rate = parsed;
        return true;
    }

    private static bool TryParseCount(string text, out int count) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= QueueLimits.MaxCount;
}

/// <summary>A queue's limits as <c>taskq limit --json</c> and <c>taskq info --json</c> print them; null for none.</summary>
internal sealed record LimitsReport(RateReport? Rate, int? Concurrency)
{
    public static LimitsReport From(QueueLimits limits) =>
        new(limits.Rate is { } r ? new RateReport(r.Count, (long)r.Per.TotalMilliseconds) : null, limits.Concurrency);
}

/// <summary>At most <paramref name="Count"/> starts per <paramref name="PerMs"/> milliseconds.</summary>
internal sealed record RateReport(int Count, long PerMs);
