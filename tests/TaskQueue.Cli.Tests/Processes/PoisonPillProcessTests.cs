using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>A job that kills every worker that runs it is failed after <c>--max-abandons</c>, and the rest still run.</summary>
[Collection(WorkerProcesses.Name)]
public sealed class PoisonPillProcessTests(TestBroker broker)
{
    [Fact(Timeout = 120_000)]
    public async Task JobKillingItsWorker_AfterMaxAbandons_FailedAsAbandonedWhileOthersFinish()
    {
        await using var test = await ProcessTest.CreateAsync(broker);
        var pill = await test.EnqueueAsync("tests.kill_worker");
        var others = new List<string>();
        for (var i = 0; i < 5; i++) others.Add(await test.EnqueueAsync("taskq.echo", "--args", $"[{i}]"));

        // Each worker either dies running the pill, or outlives it: a live worker's sweep re-queues the pill
        // (abandon 1), the next worker dies on it again (abandon 2 > --max-abandons 1), and the sweep after that fails it.
        var deaths = 0;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var worker = test.StartWorker("--max-abandons", "1", "--heartbeat", ProcessTest.FastHeartbeat);
            await Eventually.HoldsAsync(async () => worker.HasExited || await AllEndedAsync(test, pill, others),
                "the worker to die or every job to end", TimeSpan.FromSeconds(30));
            if (!worker.HasExited) break;
            Assert.Equal(137, worker.ExitCode);
            deaths++;
        }

        Assert.Equal(2, deaths);
        var failed = await test.JobAsync(pill);
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Equal(2, failed.AbandonedCount);
        Assert.StartsWith("AbandonedJobError:", failed.ExcInfo);
        foreach (var id in others) Assert.Equal(JobStatus.Finished, await test.StatusAsync(id));
    }

    private static async Task<bool> AllEndedAsync(ProcessTest test, string pill, IEnumerable<string> others)
    {
        if (await test.StatusAsync(pill) != JobStatus.Failed) return false;
        foreach (var id in others)
        {
            if (await test.StatusAsync(id) != JobStatus.Finished) return false;
        }
        return true;
    }
}
