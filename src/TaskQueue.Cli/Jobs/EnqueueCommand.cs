using System.CommandLine;
using System.Globalization;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;
using TaskQueue.Cli.Queues;
using TaskQueue.Jobs;

namespace TaskQueue.Cli.Jobs;

/// <summary><c>taskq enqueue TASK</c>: puts a job on a queue and prints its id.</summary>
/// <remarks>The task name is not checked here: the worker decides whether it knows it (an unknown name fails the
/// job with a clear error), so a producer can enqueue for workers that load other assemblies.</remarks>
internal static class EnqueueCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var task = new Argument<string>("TASK") { Description = "The task's registered name, e.g. taskq.echo" };
        var args = JsonArguments.ArgsOption();
        var kwargs = JsonArguments.KwargsOption();
        var queue = QueueNames.Option("Queue to put the job on");
        var jobId = new Option<string?>("--job-id")
        {
            Description = "The job's id [default: a new 20-character id]; an id a live job holds is a conflict (see --on-conflict)",
            HelpName = "ID",
        };
        jobId.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } id && string.IsNullOrWhiteSpace(id)) r.AddError("--job-id must not be blank.");
        });
        var onConflict = new Option<string>("--on-conflict")
        {
            Description = "When --job-id belongs to a queued, deferred, scheduled or started job: replace it (not once started), " +
                          "reject this one (exit 1), or print the existing job's id and leave it [default: replace]",
            HelpName = "replace|reject|existing",
            DefaultValueFactory = _ => "replace",
        };
        onConflict.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not ("replace" or "reject" or "existing"))
            {
                r.AddError($"--on-conflict: '{r.GetValueOrDefault<string>()}' is not one of replace, reject, existing.");
            }
        });
        var description = new Option<string?>("--description") { HelpName = "TEXT", Description = "Shown in logs and info [default: the call, e.g. taskq.echo('hi')]" };
        var timeout = Durations.Option("--timeout", "Longest the job may run; -1 for no limit [default: 180s]", allowForever: true);
        var resultTtl = Durations.Option("--result-ttl", "How long the result is kept; 0 drops it at once, -1 keeps it forever [default: 500s]", allowForever: true);
        var retry = new Option<int?>("--retry") { Description = "Retry a failed job up to N times", HelpName = "N" };
        retry.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--retry must be at least 1.");
        });
        var atFront = new Option<bool>("--at-front") { Description = "Put the job at the front of the queue" };
        var delay = Durations.Option("--in", "Run no earlier than this long from now (the job is scheduled until then)");
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Run no earlier than this instant, ISO-8601 (UTC unless it says otherwise), e.g. 2030-01-31T08:00:00Z",
            HelpName = "TIME",
            CustomParser = result =>
            {
                var text = result.Tokens[0].Value;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)) return instant;
                result.AddError($"--at: '{text}' is not an ISO-8601 time (e.g. 2030-01-31T08:00:00Z).");
                return null;
            },
        };
        var dependsOn = new Option<string[]>("--depends-on")
        {
            Description = "Queue the job only once job ID has finished (repeat for several)",
            HelpName = "ID",
            Arity = ArgumentArity.OneOrMore,
        };

        var command = new Command("enqueue", "Put a job on a queue; prints its id")
        {
            task, args, kwargs, queue, jobId, onConflict, description, timeout, resultTtl, retry, atFront, delay, at, dependsOn,
        };
        command.Validators.Add(r =>
        {
            if (r.GetResult(delay) is not null && r.GetResult(at) is not null) r.AddError("--in and --at cannot be used together.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new EnqueueOptions
            {
                JobId = parse.GetValue(jobId),
                OnConflict = parse.GetValue(onConflict) switch { "reject" => OnConflict.Reject, "existing" => OnConflict.ReturnExisting, _ => OnConflict.Replace },
                Description = parse.GetValue(description),
                Timeout = parse.GetValue(timeout),
                ResultTtl = parse.GetValue(resultTtl),
                Retry = parse.GetValue(retry) is { } max ? new Retry(max) : null,
                AtFront = parse.GetValue(atFront),
                EnqueueIn = parse.GetValue(delay),
                EnqueueAt = parse.GetValue(at),
                DependsOn = parse.GetValue(dependsOn),
            };
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            Job job;
            try
            {
                job = await session.Client.Queue(parse.GetValue(queue)).EnqueueAsync(parse.GetValue(task)!,
                    parse.GetValue(args)?.Cast<object?>(), parse.GetValue(kwargs)?.ToDictionary(p => p.Key, p => (object?)p.Value),
                    options, cancellationToken);
            }
            catch (JobConflictException e)
            {
                throw new CommandFailedException(e.Message);
            }
            console.Out.WriteLine(job.Id);
            // Stdout stays the id alone, for scripts; that nothing was enqueued goes to stderr.
            if (job.ExistingStatus is { } existing) console.Error.WriteLine($"taskq: job {job.Id} is already {existing.ToRq()}; nothing was enqueued");
            return ExitCodes.Ok;
        });
        return command;
    }
}
