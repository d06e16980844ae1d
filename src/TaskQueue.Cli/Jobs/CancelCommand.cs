using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Jobs;

namespace TaskQueue.Cli.Jobs;

/// <summary><c>taskq cancel ID</c>: cancels a job that has not started (queued, deferred or scheduled).</summary>
internal static class CancelCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var id = new Argument<string>("ID") { Description = "The job's id" };
        var command = new Command("cancel", "Cancel a job that has not started yet (to stop a running one, use stop-job)") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var jobId = parse.GetValue(id)!;
            var outcome = await session.Jobs.CancelAsync(jobId, cancellationToken);
            if (outcome.Canceled)
            {
                console.Out.WriteLine($"Canceled job {jobId}");
                return ExitCodes.Ok;
            }
            throw new CommandFailedException(outcome.Status switch
            {
                null => $"no job with id '{jobId}'.",
                JobStatus.Started => $"job {jobId} is running; stop it with 'taskq stop-job {jobId}'.",
                var status => $"job {jobId} is {status.Value.ToRq()}; only queued, deferred or scheduled jobs can be canceled.",
            });
        });
        return command;
    }
}
