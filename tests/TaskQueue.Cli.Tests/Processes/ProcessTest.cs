using TaskQueue.Cli.Tests.Support;
using TaskQueue.Jobs;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Processes;

/// <summary>One process test's world: a private key prefix on the test broker, the CLI in-process for commands,
/// and the worker processes it started, all killed when it ends, pass or fail.</summary>
internal sealed class ProcessTest : IAsyncDisposable
{
    /// <summary>Short enough that a killed worker's jobs come back within about two seconds, long enough that a
    /// live worker on a busy 2-core machine keeps its leases (a lease lasts 1.5 heartbeats).</summary>
    public const string Heartbeat = "1s";

    /// <summary>For the crash tests, where detection speed matters and a spurious abandon only re-runs a job.</summary>
    public const string FastHeartbeat = "500ms";

    private readonly List<ChildProcess> processes = [];

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

    /// <summary>Starts <c>taskq worker ARGS --assembly TestTasks.dll</c>, with <c>--heartbeat 1s</c> unless ARGS set it.</summary>
    public ChildProcess StartWorker(params string[] args)
    {
        string[] heartbeat = args.Contains("--heartbeat") ? [] : ["--heartbeat", Heartbeat];
        var process = TaskqProcess.Start(Broker, Queue.Prefix, ["worker", .. args, .. heartbeat, "--assembly", TaskqProcess.TestTasksDll]);
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
        foreach (var process in processes)
        {
            await process.DisposeAsync();
            // Shown with a failed test: what each worker printed, for the story behind a wrong status.
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {process}, exit code {process.ExitCode}:\n{process.Output}");
        }
        await Queue.DisposeAsync();
    }
}
