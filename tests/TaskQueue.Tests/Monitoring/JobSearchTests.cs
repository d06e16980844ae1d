using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Monitoring;

public sealed class JobSearchTests(TestBroker broker)
{
    [Fact]
    public async Task Search_ArgumentText_FindsOnlyMatchingJobs()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (wanted, _) = await m.Store.EnqueueAsync("mail.send", ["Needle@Example.com"]);
        await m.Store.EnqueueAsync("mail.send", ["other@example.com"]);
        await m.Store.EnqueueAsync("reports.weekly", [2026]);

        var result = await m.Search.SearchAsync("needle@example");

        Assert.Equal(wanted, Assert.Single(result.Jobs).Id);
        Assert.Null(result.NextCursor);
    }

    [Fact]
    public async Task Search_TaskName_FindsEveryJobOfTheTask()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (a, _) = await m.Store.EnqueueAsync("reports.weekly", [1]);
        var (b, _) = await m.Store.EnqueueAsync("reports.weekly", [2]);
        await m.Store.EnqueueAsync("mail.send", ["x"]);

        var result = await m.Search.SearchAsync("REPORTS.weekly");

        Assert.Equal(new[] { a, b }.Order(), result.Jobs.Select(j => j.Id).Order());
    }

    [Fact]
    public async Task Search_ExactId_FirstAndOnce()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var (id, _) = await m.Store.EnqueueAsync(options: new EnqueueOptions { JobId = "order-12345" });

        var result = await m.Search.SearchAsync("order-12345");

        Assert.Equal(id, Assert.Single(result.Jobs).Id);
    }

    [Fact]
    public async Task Search_LargeCompressedData_FoundThroughDescription()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var big = new string('x', 2000) + "findme";
        var (id, _) = await m.Store.EnqueueAsync("blob.store", ["findme-key", big]);

        Assert.Equal(id, Assert.Single((await m.Search.SearchAsync("findme-key")).Jobs).Id);
    }

    [Fact]
    public async Task Search_LimitReached_ResumesFromCursorWithoutRepeats()
    {
        var m = await MonitoringFixture.CreateAsync(broker);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++) ids.Add((await m.Store.EnqueueAsync("bulk.task", [i])).Id);

        var found = new List<string>();
        string? cursor = null;
        var steps = 0;
        do
        {
            var result = await m.Search.SearchAsync("bulk.task", cursor, limit: 1);
            found.AddRange(result.Jobs.Select(j => j.Id));
            cursor = result.NextCursor;
        }
        while (cursor is not null && ++steps < 1000);

        Assert.Equal(ids.Order(), found.Distinct().Order());
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("")]
    public async Task Search_BlankText_Refused(string text)
    {
        var m = await MonitoringFixture.CreateAsync(broker);

        await Assert.ThrowsAsync<ArgumentException>(() => m.Search.SearchAsync(text));
    }
}
