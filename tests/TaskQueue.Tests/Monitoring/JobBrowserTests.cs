using TaskQueue.Jobs;
using TaskQueue.Monitoring;
using TaskQueue.Storage;
using TaskQueue.Tests.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Monitoring;

public sealed class JobBrowserTests(TestBroker broker)
{
    [Fact]
    public async Task Page_QueuedJobs_ByRankWithTotal()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add((await m.Store.EnqueueAsync(args: [i])).Id);

        var page = await m.Browser.PageAsync("default", JobListState.Queued, 5, 5);

        Assert.Equal(7, page.Total);
        Assert.Equal(ids[5..], page.Jobs.Select(j => j.Id));
        Assert.All(page.Jobs, j => Assert.Equal(JobStatus.Queued, j.Status));
        Assert.Equal("tests.add(6)", page.Jobs[1].Description);
    }

    [Fact]
    public async Task Page_FailedJobs_NewestFirst()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (first, _) = await m.Store.EnqueueAsync();
        var (second, _) = await m.Store.EnqueueAsync();
        await m.Store.DequeueAsync("w1", 2);
        await m.Store.CompleteAsync("w1", new JobFailed(first, "default", "boom", Stopped: false, MayRetry: false));
        m.Store.Time.Advance(TimeSpan.FromSeconds(1));
        await m.Store.CompleteAsync("w1", new JobFailed(second, "default", "boom", Stopped: false, MayRetry: false));

        var page = await m.Browser.PageAsync("default", JobListState.Failed, 0, 10);

        Assert.Equal(2, page.Total);
        Assert.Equal([second, first], page.Jobs.Select(j => j.Id));
    }

    [Fact]
    public async Task Page_ScheduledJobs_DueTimeAsScore()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (id, _) = await m.Store.EnqueueAsync(options: new EnqueueOptions { EnqueueIn = TimeSpan.FromMinutes(5) });

        var page = await m.Browser.PageAsync("default", JobListState.Scheduled, 0, 10);

        Assert.Equal(id, Assert.Single(page.Jobs).Id);
        Assert.Equal(StoreFixture.Start.AddMinutes(5), page.Jobs[0].Score);
    }

    [Fact]
    public async Task OldestAges_QueueWithAndWithoutJobs_OnlyWaitingOnesAged()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        await m.Store.EnqueueAsync();
        m.Store.Time.Advance(TimeSpan.FromSeconds(42));
        await m.Store.EnqueueAsync();

        var ages = await m.Browser.GetOldestAgesAsync(["default", "empty"]);

        Assert.Equal(TimeSpan.FromSeconds(42), Assert.Single(ages).Value);
    }

    [Fact]
    public async Task Dependents_ParentWithChild_Listed()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (parent, _) = await m.Store.EnqueueAsync();
        var (child, _) = await m.Store.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent] });

        Assert.Equal([child], await m.Browser.GetDependentsAsync(parent));
    }

    [Fact]
    public void States_Parse_NamesOnly()
    {
        Assert.Equal(JobListState.Failed, JobListStates.Parse("failed"));
        Assert.Null(JobListStates.Parse("3"));
        Assert.Null(JobListStates.Parse("nope"));
        Assert.Equal("scheduled", JobListState.Scheduled.ToText());
    }
}
