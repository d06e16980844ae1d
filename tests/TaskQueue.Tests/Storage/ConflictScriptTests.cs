using StackExchange.Redis;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>The Enqueue script given a chosen id that another job holds: each conflict choice against each state.</summary>
public sealed class ConflictScriptTests(TestBroker broker)
{
    private const string Id = "the-id";

    private static async Task<Enqueued> EnqueueAsync(StoreFixture s, object?[] args, OnConflict onConflict = OnConflict.Replace,
        string queue = "default", EnqueueOptions? options = null)
    {
        var o = (options ?? new EnqueueOptions()) with { JobId = Id, OnConflict = onConflict };
        var job = NewJob.Build(JobRequest.Create("tests.add", args, options: o), queue, s.Time.GetUtcNow(), s.Options);
        return (await s.Jobs.EnqueueAsync([job]))[0];
    }

    /// <summary>Puts the job <see cref="Id"/> into <paramref name="status"/>, as the scripts would.</summary>
    private static async Task MakeAsync(StoreFixture s, JobStatus status)
    {
        switch (status)
        {
            case JobStatus.Deferred:
                var (parent, _) = await s.EnqueueAsync();
                await EnqueueAsync(s, [1, 1], options: new EnqueueOptions { DependsOn = [parent] });
                break;
            case JobStatus.Scheduled:
                await EnqueueAsync(s, [1, 1], options: new EnqueueOptions { EnqueueIn = TimeSpan.FromMinutes(5) });
                break;
            default:
                await EnqueueAsync(s, [1, 1]);
                break;
        }
        if (status is JobStatus.Queued or JobStatus.Deferred or JobStatus.Scheduled) return;
        if (status == JobStatus.Canceled)
        {
            await s.Jobs.CancelAsync(Id);
            return;
        }
        Assert.Single(await s.DequeueAsync());
        if (status == JobStatus.Started) return;
        JobOutcome outcome = status == JobStatus.Finished
            ? new JobSucceeded(Id, "default", "2"u8.ToArray())
            : new JobFailed(Id, "default", "Boom: the first run", Stopped: status == JobStatus.Stopped, MayRetry: false);
        await s.CompleteAsync("w1", outcome);
        Assert.Equal(status.ToRq(), await s.FieldAsync(Id, "status"));
    }

    [Theory]
    [InlineData(JobStatus.Queued, OnConflict.Reject)]
    [InlineData(JobStatus.Deferred, OnConflict.Reject)]
    [InlineData(JobStatus.Scheduled, OnConflict.Reject)]
    [InlineData(JobStatus.Started, OnConflict.Reject)]
    [InlineData(JobStatus.Queued, OnConflict.ReturnExisting)]
    [InlineData(JobStatus.Deferred, OnConflict.ReturnExisting)]
    [InlineData(JobStatus.Scheduled, OnConflict.ReturnExisting)]
    [InlineData(JobStatus.Started, OnConflict.ReturnExisting)]
    [InlineData(JobStatus.Started, OnConflict.Replace)]
    public async Task LiveJob_LeftBe_HeldWithItsStatusAndNothingWritten(JobStatus status, OnConflict onConflict)
    {
        var s = await StoreFixture.CreateAsync(broker);
        await MakeAsync(s, status);
        var before = await s.Db.HashGetAllAsync(s.Keys.Job(Id));
        var queued = await s.QueuedAsync();

        var result = await EnqueueAsync(s, [40, 2], onConflict);

        Assert.Equal(new Enqueued(status, Held: true), result);
        Assert.Equal(before.OrderBy(e => e.Name.ToString()), (await s.Db.HashGetAllAsync(s.Keys.Job(Id))).OrderBy(e => e.Name.ToString()));
        Assert.Equal(queued, await s.QueuedAsync());
    }

    [Fact]
    public async Task QueuedJob_ReplacedOnItsQueue_KeepsItsTurnWithTheNewCall()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await EnqueueAsync(s, [1, 1]);
        var (after, _) = await s.EnqueueAsync();

        var result = await EnqueueAsync(s, [40, 2]);

        Assert.Equal(new Enqueued(JobStatus.Queued, Held: false), result);
        Assert.Equal([Id, after], await s.QueuedAsync());
        Assert.Equal("""["tests.add",null,[40,2],{}]""", await s.FieldAsync(Id, "data"));
    }

    [Fact]
    public async Task QueuedJob_ReplacedOnAnotherQueueOrAtFront_MovedThere()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (before, _) = await s.EnqueueAsync();
        await EnqueueAsync(s, [1, 1]);

        await EnqueueAsync(s, [2, 2], queue: "other");
        Assert.Equal([before], await s.QueuedAsync());
        Assert.Equal([Id], await s.QueuedAsync("other"));

        await EnqueueAsync(s, [3, 3], options: new EnqueueOptions { AtFront = true });
        Assert.Equal([Id, before], await s.QueuedAsync());
        Assert.Empty(await s.QueuedAsync("other"));
        Assert.Equal("default", await s.FieldAsync(Id, "origin"));
    }

    [Fact]
    public async Task QueuedJobMissingFromItsQueue_Replaced_PushedAgainNotStranded()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await EnqueueAsync(s, [1, 1]);
        await s.Db.ListRemoveAsync(s.Keys.Queue("default"), Id);

        await EnqueueAsync(s, [2, 2]);

        Assert.Equal([Id], await s.QueuedAsync());
    }

    [Fact]
    public async Task ScheduledJob_ReplacedWithALaterDueTime_OneEntryAtTheNewTime()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await EnqueueAsync(s, [1, 1], options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(60) });
        s.Time.Advance(TimeSpan.FromSeconds(10));

        await EnqueueAsync(s, [2, 2], options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(60) });

        Assert.Equal(1, await s.Db.SortedSetLengthAsync(s.Keys.Registry(Registry.Scheduled, "default")));
        Assert.Equal(s.Now + 60, await s.ScoreAsync(Registry.Scheduled, Id));
        Assert.Equal("""["tests.add",null,[2,2],{}]""", await s.FieldAsync(Id, "data"));
    }

    [Fact]
    public async Task DeferredJob_ReplacedWithoutDependencies_QueuedAndUnlinkedFromItsParent()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (parent, _) = await s.EnqueueAsync();
        await EnqueueAsync(s, [1, 1], options: new EnqueueOptions { DependsOn = [parent] });

        var result = await EnqueueAsync(s, [2, 2]);

        Assert.Equal(JobStatus.Queued, result.Status);
        Assert.Equal([parent, Id], await s.QueuedAsync());
        Assert.Null(await s.ScoreAsync(Registry.Deferred, Id));
        Assert.False(await s.Db.SetContainsAsync(s.Keys.Dependents(parent), Id));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Dependencies(Id)));
        Assert.Null(await s.FieldAsync(Id, "dependency_ids"));
    }

    [Theory]
    [InlineData(JobStatus.Finished, OnConflict.Replace)]
    [InlineData(JobStatus.Failed, OnConflict.Replace)]
    [InlineData(JobStatus.Stopped, OnConflict.Reject)]
    [InlineData(JobStatus.Canceled, OnConflict.ReturnExisting)]
    [InlineData(JobStatus.Failed, OnConflict.Reject)]
    public async Task EndedJob_AnyChoice_TakenOverCleanly(JobStatus status, OnConflict onConflict)
    {
        var s = await StoreFixture.CreateAsync(broker);
        await MakeAsync(s, status);

        var result = await EnqueueAsync(s, [40, 2], onConflict);

        Assert.Equal(new Enqueued(JobStatus.Queued, Held: false), result);
        Assert.Equal([Id], await s.QueuedAsync());
        foreach (var registry in Enum.GetValues<Registry>()) Assert.Null(await s.ScoreAsync(registry, Id));
        Assert.False(await s.Db.KeyExistsAsync(s.Keys.Results(Id)));
        var hash = (await s.Db.HashGetAllAsync(s.Keys.Job(Id))).Select(e => e.Name.ToString()).ToHashSet();
        Assert.DoesNotContain("exc_info", hash);
        Assert.DoesNotContain("result", hash);
        Assert.DoesNotContain("ended_at", hash);
        Assert.DoesNotContain("worker_name", hash);
        Assert.Null(await s.TtlAsync(s.Keys.Job(Id)));
        var info = (await s.Jobs.GetAsync(Id))!;
        Assert.Equal((JobStatus.Queued, null, null), (info.Status, info.ResultJson, info.ExcInfo));
    }

    [Theory]
    [InlineData(OnConflict.Replace)]
    [InlineData(OnConflict.Reject)]
    public async Task JobKeyHoldingAString_Enqueued_KeyReplacedByTheJob(OnConflict onConflict)
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.StringSetAsync(s.Keys.Job(Id), "junk");

        var result = await EnqueueAsync(s, [1, 1], onConflict);

        Assert.Equal(new Enqueued(JobStatus.Queued, Held: false), result);
        Assert.Equal("queued", await s.FieldAsync(Id, "status"));
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("failed")]
    [InlineData("deferred")]
    public async Task OldJobNamingKeysOfAnotherType_Replaced_BatchCompletes(string status)
    {
        // The old hash's origin and dependencies name keys that hold strings: removing the id from them must not stop
        // the script after the batch's earlier jobs were written.
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.HashSetAsync(s.Keys.Job(Id), [new HashEntry("status", status), new HashEntry("origin", "bad"), new HashEntry("data", "x")]);
        foreach (var registry in Enum.GetValues<Registry>()) await s.Db.StringSetAsync(s.Keys.Registry(registry, "bad"), "s");
        await s.Db.StringSetAsync(s.Keys.Queue("bad"), "s");
        await s.Db.SetAddAsync(s.Keys.Dependencies(Id), "parent");
        await s.Db.StringSetAsync(s.Keys.Dependents("parent"), "s");
        var now = s.Time.GetUtcNow();
        var before = NewJob.Build(JobRequest.Create("tests.add", [1, 1]), "default", now, s.Options);
        var replacing = NewJob.Build(JobRequest.Create("tests.add", [2, 2], options: new EnqueueOptions { JobId = Id, AtFront = true }), "default", now, s.Options);

        var results = await s.Jobs.EnqueueAsync([before, replacing]);

        Assert.Equal([JobStatus.Queued, JobStatus.Queued], results.Select(r => r.Status));
        Assert.Equal([Id, before.Id], await s.QueuedAsync());
        Assert.Equal("s", await s.Db.StringGetAsync(s.Keys.Queue("bad")));
    }

    [Fact]
    public async Task HandWrittenJobWithoutStatus_Rejected_CountsAsQueued()
    {
        var s = await StoreFixture.CreateAsync(broker);
        await s.Db.HashSetAsync(s.Keys.Job(Id), [new HashEntry("data", "x"), new HashEntry("origin", "default")]);

        Assert.Equal(new Enqueued(JobStatus.Queued, Held: true), await EnqueueAsync(s, [1, 1], OnConflict.Reject));
    }
}
