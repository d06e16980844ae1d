using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace TaskQueue.Cli.Workers;

/// <summary>Formats the worker's log as RQ's worker prints it: <c>14:02:01 default: taskq.echo('hi') (4f1c...)</c>,
/// a local time and the message, without categories or event ids.</summary>
/// <remarks>Warnings and errors carry a short level tag, since a plain console has no colors to show it; an
/// exception adds its type and message, not its stack trace (the job's own failures are in the message).</remarks>
internal sealed class RqConsoleFormatter(TimeProvider time) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "taskq";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null) return;
        var line = $"{time.GetLocalNow():HH:mm:ss} {Tag(logEntry.LogLevel)}{message}";
        if (logEntry.Exception is { } e) line += $"{(message.Length > 0 ? ": " : "")}{e.GetType().Name}: {e.Message}";
        textWriter.Write(line);
        textWriter.Write(Environment.NewLine);
    }

    private static string Tag(LogLevel level) => level switch
    {
        LogLevel.Warning => "WARNING ",
        LogLevel.Error => "ERROR ",
        LogLevel.Critical => "CRITICAL ",
        _ => "",
    };
}
