using TaskQueue.Connection;
using TaskQueue.Monitoring;
using TaskQueue.Scheduling;
using TaskQueue.Tests.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Monitoring;

/// <summary>The read side over a <see cref="StoreFixture"/>: same prefix, same fake clock.</summary>
internal sealed class MonitoringFixture
{
    private MonitoringFixture(StoreFixture store)
    {
        Store = store;
        var broker = new BrokerConnection(store.Redis);
        var options = Microsoft.Extensions.Options.Options.Create(store.Options);
        Browser = new JobBrowser(broker, options, store.Time);
        Search = new JobSearch(broker, options, Browser, store.Time);
        Stats = new StatsHistory(broker, options, store.Time);
        Cron = new CronControl(broker, store.Jobs, options, store.Time);
    }

    public StoreFixture Store { get; }
    public JobBrowser Browser { get; }
    public JobSearch Search { get; }
    public StatsHistory Stats { get; }
    public CronControl Cron { get; }

    public static async Task<MonitoringFixture> CreateAsync(TestBroker broker) => new(await StoreFixture.CreateAsync(broker));
}
