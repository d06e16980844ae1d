using System.Globalization;
using Dundie.Data;
using Dundie.Email;
using Microsoft.EntityFrameworkCore;
using TaskQueue.Jobs;
using TaskQueue.Queues;

namespace Dundie.Notifications;

/// <summary>Enqueues one balance e-mail per user, in bulk (the endpoint, <c>dundie notify-balances</c> and the weekly report).</summary>
public sealed class BalanceNotifications(DundieDb db, TaskQueueClient queue, EmailJobs jobs)
{
    /// <summary>Enqueues the e-mails and returns their jobs.</summary>
    public async Task<IReadOnlyList<Job>> EnqueueAsync(CancellationToken cancellationToken = default)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Id)
            .Select(u => new { u.Email, u.Name, u.Currency, Balance = u.Balance == null ? 0 : u.Balance.Value })
            .ToListAsync(cancellationToken);
        // One bulk enqueue: a round trip per batch instead of per user, so thousands of users cost little.
        return await queue.Queue().EnqueueManyAsync(
            users.Select(u => jobs.SendEmail(u.Email, Message(u.Name, u.Balance, u.Currency))), cancellationToken);
    }

    private static string Message(string name, long balance, string currency) => string.Create(
        CultureInfo.InvariantCulture,
        $"""
        Subject: Your Dundie balance

        Hello {name},

        Your Dundie balance is {balance} points ({currency}).
        """);
}
