using System.CommandLine;
using System.Text.Json;
using TaskQueue.Cli.Connection;

namespace TaskQueue.Cli.Jobs;

/// <summary><c>taskq job ID</c>: a job's status, times, description, and its result or failure.</summary>
internal static class JobCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var id = new Argument<string>("ID") { Description = "The job's id" };
        var json = new Option<bool>("--json") { Description = "Print the job as JSON (a stable, machine-readable shape)" };
        var command = new Command("job", "Show a job: status, times, description, result or failure") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var jobId = parse.GetValue(id)!;
            var info = await session.Jobs.GetAsync(jobId, cancellationToken)
                       ?? throw new CommandFailedException($"no job with id '{jobId}' (it never existed, or its TTL expired).");
            var report = JobReport.From(info);
            if (parse.GetValue(json)) console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Indented.JobReport));
            else WriteText(console.Out, report);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(TextWriter output, JobReport job)
    {
        void Line(string name, object? value)
        {
            if (value is not null and not "") output.WriteLine($"{name,-13}{value}");
        }

        Line("id", job.Id);
        Line("status", job.Status ?? "(none)");
        Line("queue", job.Origin);
        Line("description", job.Description);
        Line("data error", job.DataError);
        Line("created at", job.CreatedAt);
        Line("enqueued at", job.EnqueuedAt);
        Line("started at", job.StartedAt);
        Line("ended at", job.EndedAt);
        Line("worker", job.WorkerName);
        Line("timeout", Seconds(job.Timeout));
        Line("result ttl", Seconds(job.ResultTtl));
        Line("retries left", job.RetriesLeft);
        Line("abandoned", job.AbandonedCount > 0 ? $"{job.AbandonedCount} time(s)" : null);
        Line("depends on", string.Join(", ", job.DependsOn));
        Line("meta", job.Meta?.GetRawText());
        Line("result", job.Result?.GetRawText());
        if (job.ExcInfo is { } exc)
        {
            output.WriteLine("exc_info");
            foreach (var line in exc.TrimEnd().Split('\n')) output.WriteLine("  " + line.TrimEnd('\r'));
        }
    }

    private static string? Seconds(long? seconds) => seconds switch
    {
        null => null,
        < 0 => "forever",
        var s => $"{s} s",
    };
}
