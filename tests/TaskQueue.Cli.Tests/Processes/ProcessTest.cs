using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>One process test's world: a private key prefix on the test broker, the CLI in-process for commands,
/// and the worker processes it started, all killed when it ends, pass or fail.</summary>
internal sealed class ProcessTest : IAsyncDisposable
{
    /// <summary>Short, so a killed worker's jobs come back within about a second.</summary>
    public const string Heartbeat = "500ms";

    private readonly List<TaskqProcess> processes = [];

    private ProcessTest(TestBroker broker, TestQueue queue)
    {
        Broker = broker;
        Queue = queue;
        Cli = new CliRunner(broker, queue.Prefix);
    }

    public TestBroker Broker { get; }

    public TestQueue Queue { get; }

    public CliRunner Cli { get; }

    public static async Task<ProcessTest> CreateAsync(TestBroker broker) => new(broker, await TestQueue.CreateAsync(broker));

    /// <summary>Starts <c>taskq worker ARGS --heartbeat 500ms --assembly TestTasks.dll</c>.</summary>
    public TaskqProcess StartWorker(params string[] args)
    {
        var process = TaskqProcess.Start(Broker, Queue.Prefix, ["worker", .. args, "--heartbeat", Heartbeat, "--assembly", TaskqProcess.TestTasksDll]);
        processes.Add(process);
        return process;
    }

    /// <summary>Enqueues through the CLI and returns the job id.</summary>
    public async Task<string> EnqueueAsync(params string[] args)
    {
        var result = await Cli.RunAsync(["enqueue", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Line;
    }

    public async Task<JobInfo> JobAsync(string id) =>
        await Queue.Client.Job(id).GetInfoAsync(TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"job {id} is gone");

    public Task<JobStatus?> StatusAsync(string id) => Queue.Client.Job(id).GetStatusAsync(TestContext.Current.CancellationToken);

    /// <summary>Waits until job <paramref name="id"/> has <paramref name="status"/>.</summary>
    public Task WaitForStatusAsync(string id, JobStatus status, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () => await StatusAsync(id) == status, $"job {id} to be {status.ToRq()}", timeout);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes) await process.DisposeAsync();
        await Queue.DisposeAsync();
    }
}
