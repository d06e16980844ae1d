using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>Delete: a job gone from wherever it was.</summary>
public sealed class DeleteScriptTests(TestBroker broker)
{
    [Fact]
    public async Task Delete_QueuedJob_OffItsQueueAndHashGone()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        var (other, _) = await s.EnqueueAsync();

        Assert.Equal(new DeleteOutcome(true, JobStatus.Queued), await s.Jobs.DeleteAsync(id));

        Assert.Equal([other], await s.QueuedAsync());
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Job(id)));
    }

    [Fact]
    public async Task Delete_FailedJob_OffRegistryAndResultsGone()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync();
        await s.CompleteAsync("w1", new JobFailed(id, "default", "boom", Stopped: false, MayRetry: false));
        Assert.NotNull(await s.ScoreAsync(Registry.Failed, id));

        Assert.Equal(new DeleteOutcome(true, JobStatus.Failed), await s.Jobs.DeleteAsync(id));

        Assert.Null(await s.ScoreAsync(Registry.Failed, id));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Job(id)));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Results(id)));
    }

    [Fact]
    public async Task Delete_StartedJob_OffWipAndItsWorkerRecordsNothing()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (id, _) = await s.EnqueueAsync();
        await s.DequeueAsync();

        Assert.Equal(new DeleteOutcome(true, JobStatus.Started), await s.Jobs.DeleteAsync(id));
        var result = await s.CompleteAsync("w1", new JobSucceeded(id, "default", null));

        Assert.Equal(Recording.NotOwned, Assert.Single(result.Recorded));
        Assert.Null(await s.ScoreAsync(Registry.Started, id));
        Assert.Null(await s.ScoreAsync(Registry.Finished, id));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Job(id)));
    }

    [Fact]
    public async Task Delete_DeferredJob_OffRegistryAndParentForgetsIt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (parent, _) = await s.EnqueueAsync();
        var (child, status) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent] });
        Assert.Equal(JobStatus.Deferred, status);

        Assert.Equal(new DeleteOutcome(true, JobStatus.Deferred), await s.Jobs.DeleteAsync(child));

        Assert.Null(await s.ScoreAsync(Registry.Deferred, child));
        Assert.False(await s.Db.SetContainsAsync(s.Keys.Dependents(parent), child));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Dependencies(child)));
        Assert.True(await s.Db.KeyExistsAsync(s.Keys.Job(parent)));
    }

    [Fact]
    public async Task Delete_MissingJob_Missing()
    {
        var s = await StoreFixture.CreateAsync(broker);

        Assert.Equal(DeleteOutcome.Missing, await s.Jobs.DeleteAsync("nope"));
    }
}
