using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Parsing;
using TaskQueue.Cli.Queues;
using TaskQueue.Tasks;
using TaskQueue.Workers;

namespace TaskQueue.Cli.Workers;

/// <summary><c>taskq worker [QUEUES...]</c>: runs the core worker in a generic host until stopped.</summary>
/// <remarks>SIGTERM or Ctrl+C once: take no new jobs, let running ones finish within <c>--grace</c>, then re-queue
/// the rest at the front of their queues; a second signal cancels and re-queues them at once. With
/// <c>--isolation process</c> the worker starts its children from this same command line, and each runs as
/// <see cref="WorkerHost"/>'s child mode.</remarks>
internal static class WorkerCommand
{
    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var queues = QueueNames.Arguments("Queues to take jobs from, in priority order [default: default]", ArgumentArity.ZeroOrMore);
        var burst = new Option<bool>("--burst", "-b") { Description = "Quit once the queues are empty" };
        var withScheduler = new Option<bool>("--with-scheduler", "-s") { Description = "Also run the scheduler: move due scheduled jobs to their queues" };
        var concurrency = PositiveInt("--concurrency", "-c", "Jobs run at once, as async tasks in this process [default: 1]");
        var maxJobs = PositiveInt("--max-jobs", null, "Quit after N jobs");
        var assemblies = new Option<string[]>("--assembly", "-a")
        {
            Description = "Load [Task] methods from this assembly (repeat for several); the built-in taskq.* tasks are always there",
            HelpName = "PATH",
            Arity = ArgumentArity.OneOrMore,
        };
        var name = new Option<string?>("--name", "-n") { Description = "The worker's name [default: host.pid.random]" };
        var heartbeat = Durations.Option("--heartbeat", "How often the worker proves it is alive; a killed worker's jobs are re-queued " +
                                                        "within about two of these [default: 5s]", minimum: TimeSpan.FromMilliseconds(100));
        var maxAbandons = new Option<int?>("--max-abandons")
        {
            Description = "Fail a job as a poison pill after its worker died this many times running it [default: 3]",
            HelpName = "N",
        };
        maxAbandons.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0) r.AddError("--max-abandons cannot be negative.");
        });
        var grace = Durations.Option("--grace", "On SIGTERM/Ctrl+C, how long running jobs get to finish before they are re-queued [default: 25s]",
            minimum: TimeSpan.Zero);

        var isolation = new Option<TaskIsolation?>("--isolation")
        {
            Description = "Where jobs run: 'none' (in the worker, the default) or 'process' (each in a warm child process, killed when " +
                          "the job overruns its timeout or is stopped)",
            HelpName = "none|process",
            // One line for a wrong value; the default enum error lists the names on lines of their own, capitalised.
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                switch (text.ToLowerInvariant())
                {
                    case "none": return TaskIsolation.None;
                    case "process": return TaskIsolation.Process;
                    default:
                        result.AddError($"--isolation: '{text}' is not 'none' or 'process'.");
                        return null;
                }
            },
        };
        var cancelGrace = Durations.Option("--cancel-grace", "How long a job whose timeout or stop-job came gets to return before its child " +
                                                             "is killed, or it counts as a zombie [default: 5s]", minimum: TimeSpan.Zero);
        var maxZombies = PositiveInt("--max-zombies", null, "Exit with an error once this many jobs ignore their cancellation at once " +
                                                           "(or zombies hold every slot), for a supervisor to restart the worker [default: 3]");

        var command = new Command("worker", "Run a worker: take jobs off the queues and run them")
        {
            queues, burst, withScheduler, concurrency, maxJobs, assemblies, name, heartbeat, maxAbandons, grace, isolation, cancelGrace, maxZombies,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = connection.Resolve(parse, console);
            var loaded = (parse.GetValue(assemblies) ?? []).Select(TaskAssemblies.Load).ToArray();
            var names = parse.GetValue(queues) is { Length: > 0 } given ? given : [QueueNames.Default];
            void Configure(WorkerOptions o)
            {
                o.Queues = names.Distinct(StringComparer.Ordinal).ToList();
                o.Burst = parse.GetValue(burst);
                o.WithScheduler = parse.GetValue(withScheduler);
                o.Name = parse.GetValue(name);
                o.MaxJobs = parse.GetValue(maxJobs);
                if (parse.GetValue(concurrency) is { } c) o.Concurrency = c;
                if (parse.GetValue(heartbeat) is { } h) o.HeartbeatInterval = h;
                if (parse.GetValue(maxAbandons) is { } m) o.MaxAbandons = m;
                if (parse.GetValue(grace) is { } g) o.ShutdownGrace = g;
                if (parse.GetValue(isolation) is { } i) o.Isolation = i;
                if (parse.GetValue(cancelGrace) is { } cg) o.CancelGrace = cg;
                if (parse.GetValue(maxZombies) is { } z) o.MaxZombies = z;
            }
            return await WorkerHost.RunAsync(settings, loaded, Configure, console, cancellationToken);
        });
        return command;
    }

    private static Option<int?> PositiveInt(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.Description = description;
        option.HelpName = "N";
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError($"{name} must be at least 1.");
        });
        return option;
    }
}
