using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TaskQueue.Jobs;
using TaskQueue.Queues;
using TaskQueue.TestSupport;

namespace TaskQueue.Interop.Tests.Support;

/// <summary>One interop test's world: a database of its own on the real server, both sides' commands pointed at
/// it, a scratch folder for the tasks, and every process it started, killed when it ends, pass or fail.</summary>
public sealed class InteropTest : IAsyncDisposable
{
    /// <summary>Short enough that a killed worker's jobs come back within seconds, long enough that a live worker on
    /// a busy 2-core machine keeps its leases (a lease lasts 1.5 heartbeats).</summary>
    public const string Heartbeat = "1s";

    /// <summary>How long a one-shot command (a Python script, <c>rq info</c>, <c>taskq job</c>) may take.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private static readonly string PythonFolder = Path.Combine(AppContext.BaseDirectory, "python");

    private readonly InteropServer server;
    private readonly ServiceProvider services;
    private readonly List<ChildProcess> processes = [];

    private InteropTest(InteropServer server, int database)
    {
        this.server = server;
        DatabaseNumber = database;
        Url = $"{server.BaseUrl}/{database}";
        Redis = server.Database(database);
        Folder = Directory.CreateTempSubdirectory("taskq-interop-").FullName;
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddTaskQueue(o => o.Url = Url);
        services = collection.BuildServiceProvider();
    }

    public int DatabaseNumber { get; }

    /// <summary>The test's database, as both sides are given it: <c>redis://host:port/N</c>.</summary>
    public string Url { get; }

    /// <summary>The test's database, for reading keys as they are.</summary>
    public IDatabase Redis { get; }

    /// <summary>TaskQueue's C# API on the test's database, with RQ's <c>rq:</c> prefix.</summary>
    public TaskQueueClient Client => services.GetRequiredService<TaskQueueClient>();

    /// <summary>A scratch folder the tasks of both sides write to (<c>flaky</c> counters, <c>mark</c> files).</summary>
    public string Folder { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<InteropTest> CreateAsync(InteropServer server) => new(server, await server.ClaimDatabaseAsync(Ct));

    /// <summary>Starts <c>taskq worker ARGS</c> with the interop tasks loaded, <c>--heartbeat 1s</c> unless ARGS set it.</summary>
    public ChildProcess StartTaskqWorker(params string[] args)
    {
        string[] heartbeat = args.Contains("--heartbeat") ? [] : ["--heartbeat", Heartbeat];
        return Track(ChildProcess.Start("taskq worker", "dotnet",
            [TaskqDll, "worker", .. args, .. heartbeat, "--assembly", TestTasksDll, "--url", Url]));
    }

    /// <summary>RQ's JSON serializer: what TaskQueue reads and writes.</summary>
    public const string RqJsonSerializer = "rq.serializers.JSONSerializer";

    /// <summary>RQ's default serializer (pickle), which TaskQueue cannot read.</summary>
    public const string RqPickleSerializer = "rq.serializers.DefaultSerializer";

    /// <summary>Starts <c>rq worker ARGS</c> with RQ's JSON serializer and the Python twins of the interop tasks.</summary>
    public ChildProcess StartRqWorker(params string[] args) => StartRqWorkerWith(RqJsonSerializer, args);

    /// <summary>Starts <c>rq worker ARGS</c> with <paramref name="serializer"/>.</summary>
    public ChildProcess StartRqWorkerWith(string serializer, params string[] args) =>
        Track(ChildProcess.Start("rq worker", InteropServer.RqCommand,
            ["worker", .. args, "--serializer", serializer, "--url", Url], PythonEnvironment, PythonFolder));

    /// <summary>Runs a <c>taskq</c> command against the test's database.</summary>
    public Task<CommandResult> TaskqAsync(params string[] args) => RunAsync("taskq", "dotnet", [TaskqDll, .. args, "--url", Url]);

    /// <summary>Runs an <c>rq</c> command against the test's database, with RQ's JSON serializer.</summary>
    public Task<CommandResult> RqAsync(string command, params string[] args) => RqWithAsync(RqJsonSerializer, command, args);

    /// <summary>Runs an <c>rq</c> command against the test's database, with <paramref name="serializer"/>.</summary>
    public Task<CommandResult> RqWithAsync(string serializer, string command, params string[] args) =>
        RunAsync("rq " + command, InteropServer.RqCommand, [command, "--url", Url, "--serializer", serializer, .. args]);

    /// <summary>Enqueues jobs with Python RQ (<c>python/produce.py</c>); returns their ids.</summary>
    public async Task<IReadOnlyList<string>> EnqueueFromPythonAsync(params object[] specs)
    {
        var lines = await PythonJsonAsync("produce.py", Url, JsonSerializer.Serialize(specs));
        return lines.Select(l => l.GetProperty("id").GetString()!).ToArray();
    }

    /// <summary>Enqueues one job with Python RQ; returns its id.</summary>
    public async Task<string> EnqueueFromPythonAsync(object spec) => (await EnqueueFromPythonAsync([spec]))[0];

    /// <summary>Reads a job with RQ's own API (<c>python/inspect_job.py</c>).</summary>
    public async Task<JsonElement> InspectAsync(string id, string serializer = "json") =>
        (await PythonJsonAsync("inspect_job.py", Url, "--serializer", serializer, id))[0];

    /// <summary>Runs <c>python/control.py COMMAND ARGS</c> (RQ's command and registry API).</summary>
    public async Task<JsonElement> ControlAsync(params string[] args) => (await PythonJsonAsync("control.py", [Url, .. args]))[0];

    /// <summary>Enqueues with TaskQueue's C# API.</summary>
    public Task<Job> EnqueueAsync(string task, object?[]? args = null, Dictionary<string, object?>? kwargs = null,
        EnqueueOptions? options = null, string? queue = null) =>
        Client.Queue(queue).EnqueueAsync(task, args, kwargs, options, Ct);

    /// <summary>Enqueues with <c>taskq enqueue</c>; returns the job id.</summary>
    public async Task<string> EnqueueWithTaskqAsync(params string[] args)
    {
        var result = await TaskqAsync(["enqueue", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Trim();
    }

    /// <summary>Reads a job with TaskQueue's C# API; fails when it does not exist.</summary>
    public async Task<JobInfo> JobAsync(string id) =>
        await Client.Job(id).GetInfoAsync(Ct) ?? throw new InvalidOperationException($"job {id} does not exist");

    /// <summary>Waits until TaskQueue reads <paramref name="status"/> for job <paramref name="id"/>.</summary>
    public Task WaitForStatusAsync(string id, JobStatus status, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () => await Client.Job(id).GetStatusAsync(Ct) == status, $"job {id} to be {status.ToRq()}", timeout);

    /// <summary>Waits until RQ's API reads <paramref name="status"/> for job <paramref name="id"/>; returns what it read.</summary>
    public Task<JsonElement> WaitForRqStatusAsync(string id, string status, TimeSpan? timeout = null) =>
        Eventually.ReturnsAsync(() => InspectAsync(id), j => j.GetProperty("exists").GetBoolean() && j.GetProperty("status").GetString() == status,
            $"RQ to read job {id} as {status}", timeout);

    /// <summary>Waits until <paramref name="process"/> has exited; fails the test when it exits with another code.</summary>
    public static async Task ExpectExitAsync(ChildProcess process, int code = 0, TimeSpan? timeout = null)
    {
        var exit = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        Assert.True(exit == code, $"{process} exited {exit}, expected {code}. Output:\n{process.Output}");
    }

    private static string TaskqDll => Path.Combine(AppContext.BaseDirectory, "taskq.dll");

    private static string TestTasksDll => typeof(TestTasks.InteropTasks).Assembly.Location;

    private static Dictionary<string, string> PythonEnvironment => new() { ["PYTHONPATH"] = PythonFolder };

    private async Task<IReadOnlyList<JsonElement>> PythonJsonAsync(string script, params string[] args)
    {
        var result = await RunAsync(script, InteropServer.Python, [Path.Combine(PythonFolder, script), .. args], PythonEnvironment);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
    }

    private async Task<CommandResult> RunAsync(string name, string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var process = ChildProcess.Start(name, file, args, environment, PythonFolder);
        var code = await process.WaitForExitAsync(CommandTimeout);
        return new CommandResult(name, code, process.Stdout, process.Output);
    }

    private ChildProcess Track(ChildProcess process)
    {
        processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
        {
            await process.DisposeAsync();
            // Shown with a failed test: what each process printed, for the story behind a wrong status.
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {process}:\n{process.Output}");
        }
        await services.DisposeAsync();
        await server.ReleaseDatabaseAsync(DatabaseNumber);
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}

/// <summary>How a one-shot command ended and what it printed.</summary>
public sealed record CommandResult(string Name, int ExitCode, string Stdout, string Output)
{
    public override string ToString() => $"{Name} exited {ExitCode}:\n{Output}";
}
