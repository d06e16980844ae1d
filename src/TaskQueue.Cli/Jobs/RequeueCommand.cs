using System.CommandLine;
using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Queues;
using TaskQueue.Jobs;
using TaskQueue.Storage;

namespace TaskQueue.Cli.Jobs;

/// <summary><c>taskq requeue (--all | ID...)</c>: puts failed, stopped or canceled jobs back on their queues.</summary>
internal static class RequeueCommand
{
    /// <summary>Ids read from the failed registry per round trip with <c>--all</c>.</summary>
    private const int Batch = 500;

    public static Command Create(CliConsole console, ConnectionOptions connection)
    {
        var ids = new Argument<string[]>("ID") { Description = "Ids of failed, stopped or canceled jobs", Arity = ArgumentArity.ZeroOrMore };
        var all = new Option<bool>("--all") { Description = "Requeue every job in the queue's failed registry" };
        var queue = QueueNames.Option("With --all: the queue whose failed jobs to requeue");
        var command = new Command("requeue", "Put failed, stopped or canceled jobs back on their queues") { ids, all, queue };
        command.Validators.Add(r =>
        {
            var named = r.GetValue(ids) is { Length: > 0 };
            if (named == r.GetValue(all)) r.AddError("Give either job ids or --all.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var session = await BrokerSession.OpenAsync(connection.Resolve(parse, console), cancellationToken);
            if (parse.GetValue(all))
            {
                var name = parse.GetValue(queue)!;
                var total = 0;
                while (true)
                {
                    var failed = await session.Monitor.GetRegistryAsync(name, Registry.Failed, Batch, cancellationToken);
                    if (failed.Count == 0) break;
                    var requeued = (await session.Client.RequeueAsync(failed, cancellationToken: cancellationToken)).Count(o => o.Requeued);
                    total += requeued;
                    // Entries that could not move (their job expired meanwhile) would come back forever.
                    if (requeued == 0) break;
                }
                console.Out.WriteLine($"Requeued {total} job(s) from {name}");
                return ExitCodes.Ok;
            }

            var outcomes = await session.Client.RequeueAsync(parse.GetValue(ids)!, cancellationToken: cancellationToken);
            foreach (var outcome in outcomes.Where(o => !o.Requeued))
            {
                console.Error.WriteLine(outcome.Status is { } status
                    ? $"taskq: job {outcome.JobId} is {status.ToRq()}; only failed, stopped or canceled jobs can be requeued."
                    : $"taskq: no job with id '{outcome.JobId}'.");
            }
            var done = outcomes.Count(o => o.Requeued);
            console.Out.WriteLine($"Requeued {done} job(s)");
            return done == outcomes.Count ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
