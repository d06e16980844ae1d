using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.Telemetry;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

public sealed class EnqueueScriptTests(TestBroker broker)
{
    [Fact]
    public async Task Enqueue_NewJob_WritesRqHashQueueListAndQueueSet()
    {
        var s = await StoreFixture.CreateAsync(broker);

        var (id, status) = await s.EnqueueAsync("tests.add", [2, 3], new EnqueueOptions { Meta = new Dictionary<string, object?> { ["owner"] = "me" } });

        Assert.Equal(JobStatus.Queued, status);
        Assert.Equal([id], await s.QueuedAsync());
        Assert.True(await s.Db.SetContainsAsync(s.Keys.Queues, s.Keys.Queue("default")));
        var hash = (await s.Db.HashGetAllAsync(s.Keys.Job(id))).ToDictionary(e => e.Name.ToString(), e => e.Value);
        Assert.Equal("queued", hash["status"]);
        Assert.Equal("default", hash["origin"]);
        Assert.Equal("2026-11-28T12:00:00.000Z", hash["enqueued_at"]);
        // RQ's worker and tools read these from every job: RQ's call string and its default timeout.
        Assert.Equal("tests.add(2, 3)", hash["description"]);
        Assert.Equal("180", hash["timeout"]);
        // Equal to enqueued_at, so not stored: RQ reads it as None; JobInfo derives it.
        Assert.DoesNotContain("created_at", hash.Keys);
        var info = (await s.Jobs.GetAsync(id))!;
        Assert.Equal(StoreFixture.Start, info.CreatedAt);
        Assert.Equal("{\"owner\":\"me\"}", hash["meta"]);
        Assert.Equal("""["tests.add",null,[2,3],{}]""", hash["data"]);
        Assert.Null(await s.TtlAsync(s.Keys.Job(id)));
    }

    [Fact]
    public async Task Enqueue_PlainRunsWithAndWithoutTraceContexts_EachJobKeepsItsOwnAndDequeueReturnsIt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var traced = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=1");
        var other = new TraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", null);
        TraceContext?[] traces = [null, traced, traced, other, null, traced];
        var jobs = traces.Select(t => NewJob.Build(JobRequest.Create("tests.add", [1, 2]), "default", s.Time.GetUtcNow(),
            RqTime.ToIso(s.Time.GetUtcNow()), s.Options, t)).ToArray();
        Assert.All(jobs, j => Assert.True(j.IsPlain));

        await s.Jobs.EnqueueAsync(jobs);

        Assert.Equal(jobs.Select(j => j.Id), await s.QueuedAsync());
        for (var i = 0; i < jobs.Length; i++)
        {
            Assert.Equal(traces[i]?.Parent, await s.FieldAsync(jobs[i].Id, TaskQueueTelemetry.TraceParentField));
            Assert.Equal(traces[i]?.State, await s.FieldAsync(jobs[i].Id, TaskQueueTelemetry.TraceStateField));
            Assert.Equal("180", await s.FieldAsync(jobs[i].Id, "timeout"));
        }
        var started = await s.DequeueAsync(count: jobs.Length);
        Assert.Equal(traces.Select(t => t?.Parent), started.Select(j => j.TraceParent));
        Assert.Equal(traces.Select(t => t?.State), started.Select(j => j.TraceState));
    }

    [Fact]
    public async Task Enqueue_TracedJobWithOptions_WritesTraceFieldsWithTheOthers()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var trace = new TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        var job = NewJob.Build(JobRequest.Create("tests.add", [1, 2], options: new EnqueueOptions { AtFront = true }), "default",
            s.Time.GetUtcNow(), RqTime.ToIso(s.Time.GetUtcNow()), s.Options, trace);

        await s.Jobs.EnqueueAsync([job]);

        Assert.Equal(trace.Parent, await s.FieldAsync(job.Id, TaskQueueTelemetry.TraceParentField));
        Assert.False(await s.Db.HashExistsAsync(s.Keys.Job(job.Id), TaskQueueTelemetry.TraceStateField));
        Assert.Equal("1", await s.FieldAsync(job.Id, "enqueue_at_front"));
    }

    [Fact]
    public async Task Enqueue_AtFront_PushesLeftAndRecordsIt()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (first, _) = await s.EnqueueAsync();
        var (front, _) = await s.EnqueueAsync(options: new EnqueueOptions { AtFront = true });

        Assert.Equal([front, first], await s.QueuedAsync());
        Assert.Equal("1", await s.FieldAsync(front, "enqueue_at_front"));
    }

    [Fact]
    public async Task Enqueue_UnfinishedDependency_DefersWithRqEdges()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (parent, _) = await s.EnqueueAsync();

        var (child, status) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent] });

        Assert.Equal(JobStatus.Deferred, status);
        Assert.Equal([parent], await s.QueuedAsync());
        Assert.Equal(s.Now, await s.ScoreAsync(Registry.Deferred, child));
        Assert.Equal("deferred", await s.FieldAsync(child, "status"));
        Assert.Equal(parent, await s.FieldAsync(child, "dependency_id"));
        Assert.Equal($"[\"{parent}\"]", await s.FieldAsync(child, "dependency_ids"));
        Assert.True(await s.Db.SetContainsAsync(s.Keys.Dependents(parent), child));
        Assert.True(await s.Db.SetContainsAsync($"{s.Keys.Prefix}job::{child}:dependencies", parent));
    }

    [Fact]
    public async Task Enqueue_DependencyFinishedOrGone_QueuesAtOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var (parent, _) = await s.EnqueueAsync();
        await s.Db.HashSetAsync(s.Keys.Job(parent), "status", "finished");

        var (child, status) = await s.EnqueueAsync(options: new EnqueueOptions { DependsOn = [parent, "no-such-job"] });

        Assert.Equal(JobStatus.Queued, status);
        Assert.Equal([parent, child], await s.QueuedAsync());
    }

    [Fact]
    public async Task Enqueue_FutureTime_SchedulesAtDueScore()
    {
        var s = await StoreFixture.CreateAsync(broker);

        var (id, status) = await s.EnqueueAsync(options: new EnqueueOptions { EnqueueIn = TimeSpan.FromSeconds(90) });

        Assert.Equal(JobStatus.Scheduled, status);
        Assert.Empty(await s.QueuedAsync());
        Assert.Equal(s.Now + 90, await s.ScoreAsync(Registry.Scheduled, id));
        Assert.Equal("scheduled", await s.FieldAsync(id, "status"));
        // Not queued yet, so no enqueued_at: created_at says when it was enqueued.
        Assert.Equal(RqTime.ToIso(StoreFixture.Start), await s.FieldAsync(id, "created_at"));
    }

    [Fact]
    public async Task Enqueue_PastTime_QueuesAtOnce()
    {
        var s = await StoreFixture.CreateAsync(broker);

        var (_, status) = await s.EnqueueAsync(options: new EnqueueOptions { EnqueueAt = StoreFixture.Start.AddMinutes(-1) });

        Assert.Equal(JobStatus.Queued, status);
    }

    [Fact]
    public async Task Enqueue_TtlAndRqOptions_StoredAsRqFields()
    {
        var s = await StoreFixture.CreateAsync(broker);

        var (id, _) = await s.EnqueueAsync(options: new EnqueueOptions
        {
            JobId = "my-id", Description = "adder", Ttl = TimeSpan.FromSeconds(60), Timeout = TimeSpan.FromSeconds(30),
            ResultTtl = TimeSpan.FromSeconds(600), FailureTtl = TimeSpan.FromSeconds(700), Retry = new Retry(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)),
            OnSuccess = "tests.ok", OnFailure = "tests.bad", OnStopped = "tests.stopped", AllowDependencyFailures = true,
        });

        Assert.Equal("my-id", id);
        Assert.InRange((await s.TtlAsync(s.Keys.Job(id)))!.Value.TotalSeconds, 55, 60);
        var hash = (await s.Db.HashGetAllAsync(s.Keys.Job(id))).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.Equal("adder", hash["description"]);
        Assert.Equal("30", hash["timeout"]);
        Assert.Equal("600", hash["result_ttl"]);
        Assert.Equal("700", hash["failure_ttl"]);
        Assert.Equal("60", hash["ttl"]);
        Assert.Equal("2", hash["retries_left"]);
        Assert.Equal("[1, 2]", hash["retry_intervals"]);
        Assert.Equal("tests.ok", hash["success_callback_name"]);
        Assert.Equal("tests.bad", hash["failure_callback_name"]);
        Assert.Equal("tests.stopped", hash["stopped_callback_name"]);
        Assert.Equal("1", hash["allow_dependency_failures"]);
    }

    [Fact]
    public async Task Enqueue_Batch_OneStatusPerJobInOrder()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var now = s.Time.GetUtcNow();
        var jobs = Enumerable.Range(0, 450)
            .Select(i => NewJob.Build(JobRequest.Create("tests.add", [i, i]), "default", now, s.Options)).ToArray();

        var statuses = (await s.Jobs.EnqueueAsync(jobs)).Select(e => e.Status).ToArray();

        Assert.Equal(450, statuses.Length);
        Assert.All(statuses, st => Assert.Equal(JobStatus.Queued, st));
        Assert.Equal(jobs.Select(j => j.Id), await s.QueuedAsync());
    }

    [Fact]
    public async Task Enqueue_PlainAndOtherJobsInOneBatch_StatusesAndQueueOrderKept()
    {
        var s = await StoreFixture.CreateAsync(broker);
        var now = s.Time.GetUtcNow();
        var (parent, _) = await s.EnqueueAsync(queue: "other");
        NewJob Job(EnqueueOptions? o = null, string queue = "default") => NewJob.Build(JobRequest.Create("tests.add", [1, 2], options: o), queue, now, s.Options);
        var jobs = new[]
        {
            Job(), Job(new EnqueueOptions { AtFront = true }), Job(new EnqueueOptions { EnqueueIn = TimeSpan.FromMinutes(1) }),
            Job(new EnqueueOptions { Timeout = TimeSpan.FromSeconds(5) }), Job(new EnqueueOptions { DependsOn = [parent] }), Job(queue: "other"), Job(),
            Job(new EnqueueOptions { Description = "described" }),
        };
        // The job for "other" is plain too, but the batch sends as plain only the jobs of its first job's queue.
        Assert.Equal([true, false, false, false, false, true, true, true], jobs.Select(j => j.IsPlain));

        var statuses = (await s.Jobs.EnqueueAsync(jobs)).Select(e => e.Status).ToArray();

        Assert.Equal([JobStatus.Queued, JobStatus.Queued, JobStatus.Scheduled, JobStatus.Queued, JobStatus.Deferred, JobStatus.Queued, JobStatus.Queued, JobStatus.Queued], statuses);
        Assert.Equal([jobs[1].Id, jobs[0].Id, jobs[3].Id, jobs[6].Id, jobs[7].Id], await s.QueuedAsync());
        Assert.Equal([parent, jobs[5].Id], await s.QueuedAsync("other"));
        Assert.Equal("default", await s.FieldAsync(jobs[6].Id, "origin"));
        Assert.Equal(("tests.add(1, 2)", "180"), (await s.FieldAsync(jobs[0].Id, "description"), await s.FieldAsync(jobs[0].Id, "timeout")));
        Assert.Equal("5", await s.FieldAsync(jobs[3].Id, "timeout"));
        Assert.Equal("described", await s.FieldAsync(jobs[7].Id, "description"));
    }
}
