using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Jobs;

namespace TaskQueue.Cli.Jobs;

/// <summary><c>taskq stop-job ID</c>: asks the worker running a job to stop it; the job ends <c>stopped</c>.</summary>
internal static class StopJobCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var id = new Argument<string>("ID") { Description = "The running job's id" };
        var command = new Command("stop-job", "Stop a running job (it ends 'stopped'); its worker carries on") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            var jobId = parse.GetValue(id)!;
            if (await session.Control.StopJobAsync(jobId, cancellationToken))
            {
                console.Out.WriteLine($"Sent stop-job for {jobId}");
                return ExitCodes.Ok;
            }
            var status = await session.Jobs.GetStatusAsync(jobId, cancellationToken);
            throw new CommandFailedException(status switch
            {
                null => $"no job with id '{jobId}'.",
                JobStatus.Started => $"job {jobId} is started but its worker is not listening (it may have died; the job will be re-queued).",
                var s => $"job {jobId} is not running (it is {s.Value.ToRq()}).",
            });
        });
        return command;
    }
}
