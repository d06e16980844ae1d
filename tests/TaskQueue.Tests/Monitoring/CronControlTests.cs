using TaskQueue.Jobs;
using TaskQueue.Scheduling;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Monitoring;

public sealed class CronControlTests(TestBroker broker)
{
    private static CronEntry Report => new("weekly", "0 8 * * MON", JobRequest.Create("reports.weekly", [2026],
        options: new EnqueueOptions { Timeout = TimeSpan.FromMinutes(2), Meta = new Dictionary<string, object?> { ["from"] = "cron" } }), "reports");

    [Fact]
    public async Task List_Published_ShowsEntryWithNextRun()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        await m.Store.Scheduler.PublishCronAsync([Report]);

        var entry = Assert.Single(await m.Cron.ListAsync());

        Assert.Equal(("weekly", "0 8 * * MON", "reports", "reports.weekly", false), (entry.Name, entry.Expression, entry.Queue, entry.TaskName, entry.Paused));
        Assert.Equal("reports.weekly(2026)", entry.Description);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), entry.NextRun);
        Assert.Null(entry.LastRun);
    }

    [Fact]
    public async Task PauseResume_PublishedEntry_FlagFollows()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        await m.Store.Scheduler.PublishCronAsync([Report]);

        Assert.True(await m.Cron.PauseAsync("weekly"));
        Assert.True(Assert.Single(await m.Cron.ListAsync()).Paused);
        Assert.True(await m.Cron.ResumeAsync("weekly"));
        Assert.False(Assert.Single(await m.Cron.ListAsync()).Paused);
    }

    [Fact]
    public async Task PauseResumeTrigger_UnknownEntry_False()
    {
        var m = await MonitoringFixture.CreateAsync(broker);

        Assert.False(await m.Cron.PauseAsync("nope"));
        Assert.False(await m.Cron.ResumeAsync("nope"));
        Assert.Null(await m.Cron.TriggerAsync("nope"));
    }

    [Fact]
    public async Task Trigger_PausedEntry_EnqueuesTheSameJobOnce()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        await m.Store.Scheduler.PublishCronAsync([Report]);
        await m.Cron.PauseAsync("weekly");

        var id = await m.Cron.TriggerAsync("weekly");

        Assert.NotNull(id);
        Assert.StartsWith("cron:weekly:run:", id);
        Assert.Equal([id], await m.Store.QueuedAsync("reports"));
        var info = await m.Store.Jobs.GetAsync(id);
        Assert.Equal("reports.weekly", info!.Call!.TaskName);
        Assert.Equal(2026, info.Call.Args[0].GetInt32());
        Assert.Equal(TimeSpan.FromMinutes(2), info.Timeout);
        Assert.Equal("cron", info.Meta!.Value.GetProperty("from").GetString());
    }
}
