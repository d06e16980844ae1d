using System.CommandLine;
using Dundie.Hosting;
using Dundie.Notifications;
using Spectre.Console;
using TaskQueue.Jobs;

namespace Dundie.Cli;

/// <summary><c>dundie notify-balances</c>: queues a balance e-mail per user, then shows progress until every job has ended.</summary>
public static class NotifyBalancesCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var command = new Command("notify-balances", "E-mail every user their balance, through the queue.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var host = await AdminHost.StartAsync(
                builder => builder.Services.AddDundieQueue(builder.Configuration), cancellationToken);
            IReadOnlyList<Job> jobs;
            await using (var scope = host.Services.CreateAsyncScope())
            {
                jobs = await scope.ServiceProvider.GetRequiredService<BalanceNotifications>().EnqueueAsync(cancellationToken);
            }
            Console.Out.WriteLine($"Queued {jobs.Count} balance e-mails; workers send them (Ctrl+C stops watching, not sending).");

            var failed = 0;
            await AnsiConsole.Progress().StartAsync(async progress =>
            {
                var bar = progress.AddTask("Sending balance e-mails", maxValue: Math.Max(jobs.Count, 1));
                var pending = jobs.ToList();
                while (pending.Count > 0)
                {
                    var statuses = await Task.WhenAll(pending.Select(job => job.GetStatusAsync(cancellationToken)));
                    // A job that expired before we looked (status null) has ended too.
                    failed += statuses.Count(s => s is JobStatus.Failed or JobStatus.Stopped or JobStatus.Canceled);
                    pending = pending.Where((_, i) => statuses[i] is { } status && !status.IsFinal()).ToList();
                    bar.Value = jobs.Count - pending.Count;
                    if (pending.Count > 0)
                    {
                        await Task.Delay(PollInterval, cancellationToken);
                    }
                }
                bar.Value = bar.MaxValue;
            });
            Console.Out.WriteLine(failed == 0
                ? $"All {jobs.Count} e-mails were sent."
                : $"{jobs.Count - failed} e-mails were sent; {failed} failed (see the failed jobs for the reason).");
            return failed == 0 ? 0 : 1;
        });
        return command;
    }
}
