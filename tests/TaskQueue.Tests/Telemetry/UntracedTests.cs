using TaskQueue.Jobs;
using TaskQueue.Telemetry;
using TaskQueue.Tests.Workers;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Telemetry;

/// <summary>Without a listener on TaskQueue's source nothing is traced or stored. These tests run alone (a collection
/// without parallelization): the source is one per process, and another test's listener would make it traced.</summary>
[Collection(nameof(Untraced))]
public sealed class UntracedTests(TestBroker broker)
{
    [Fact]
    public async Task Enqueue_NothingListens_NoTraceFieldsEvenInsideAnActivity()
    {
        await using var q = await TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly));
        Assert.False(TaskQueueTelemetry.Source.HasListeners());
        using var outer = new System.Diagnostics.Activity("request").Start();

        var job = await q.Client.Queue().EnqueueAsync(() => SampleTasks.Add(1, 2));
        var batch = await q.Client.Queue().EnqueueManyAsync([JobRequest.Create("tests.add", [1, 1]), JobRequest.Create("tests.add", [2, 2])]);

        foreach (var id in batch.Select(j => j.Id).Append(job.Id))
        {
            Assert.False(await q.Database.HashExistsAsync(q.Keys.Job(id), TaskQueueTelemetry.TraceParentField));
        }
        await q.RunBurstAsync();
        Assert.Equal(3, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(5)));
    }
}

/// <summary>The tests that need TaskQueue's source unobserved: run after the parallel ones, alone.</summary>
[CollectionDefinition(nameof(Untraced), DisableParallelization = true)]
public sealed class Untraced;
