using Dundie.Tests.Infrastructure;
using TaskQueue.TestSupport;

namespace Dundie.Tests.Api;

/// <summary>The balance report runs on the cron schedule from settings, through the worker's scheduler.</summary>
public sealed class WeeklyReportTests(WeeklyReportTests.ReportingApi api) : IClassFixture<WeeklyReportTests.ReportingApi>
{
    [Fact]
    public async Task Report_CronFromSettings_QueuesBalanceEmails()
    {
        await api.CreateUserAsync("Report Reader", email: "report.reader@dm.com");

        await Eventually.HoldsAsync(
            () => Task.FromResult(api.ReadEmailLog().Contains("To: report.reader@dm.com")),
            "the scheduled report's e-mail", TimeSpan.FromSeconds(30));

        Assert.Contains("Subject: Your Dundie balance", api.ReadEmailLog());
    }

    public sealed class ReportingApi : DundieApiFactory
    {
        // Six fields: every 2 seconds, so the test does not wait for Monday.
        public ReportingApi(TestBroker broker)
            : base(broker) => WithWorker().With("REPORT:WEEKLY_BALANCE_CRON", "*/2 * * * * *");
    }
}
