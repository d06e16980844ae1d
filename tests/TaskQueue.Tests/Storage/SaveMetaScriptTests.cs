using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>The SaveMeta script: a running job's meta is written only by the worker that still owns the job.</summary>
public sealed class SaveMetaScriptTests(TestBroker broker)
{
    [Fact]
    public async Task SaveMeta_OwnerWhileStarted_Written()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions { Meta = new Dictionary<string, object?> { ["a"] = 1 } });
        await s.DequeueAsync("w1");

        Assert.True(await s.Workers.SaveMetaAsync("w1", id, """{"a":1,"progress":50}"""));

        Assert.Equal("""{"a":1,"progress":50}""", await s.FieldAsync(id, "meta"));
        Assert.Equal(50, (await s.Jobs.GetAsync(id))!.Meta!.Value.GetProperty("progress").GetInt32());
    }

    [Fact]
    public async Task SaveMeta_AnotherWorkersOrAnEndedJob_NothingWritten()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync("w1");

        Assert.False(await s.Workers.SaveMetaAsync("w2", id, """{"stale":true}"""));
        await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));
        Assert.False(await s.Workers.SaveMetaAsync("w1", id, """{"stale":true}"""));
        Assert.False(await s.Workers.SaveMetaAsync("w1", "no-such-job", """{"stale":true}"""));

        Assert.Null(await s.FieldAsync(id, "meta"));
    }
}
