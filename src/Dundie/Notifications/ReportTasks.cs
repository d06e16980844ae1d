using TaskQueue.Tasks;

namespace Dundie.Notifications;

/// <summary>The periodic balance report, run on the cron schedule in <c>DUNDIE_REPORT__WEEKLY_BALANCE_CRON</c>.</summary>
public sealed class ReportTasks(BalanceNotifications notifications)
{
    public const string WeeklyBalanceTask = "dundie.tasks.report.weekly_balance";

    /// <summary>The name of the cron entry.</summary>
    public const string WeeklyBalanceSchedule = "weekly-balance-report";

    /// <summary>Queues every user's balance e-mail; returns how many.</summary>
    [Task(WeeklyBalanceTask)]
    public async Task<int> WeeklyBalance(CancellationToken cancellationToken) =>
        (await notifications.EnqueueAsync(cancellationToken)).Count;
}
