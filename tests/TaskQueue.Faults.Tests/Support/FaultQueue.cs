using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TaskQueue.Hosting;
using TaskQueue.Jobs;
using TaskQueue.Queues;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>One test's queue on one of its servers: a key prefix of its own, the C# API to enqueue, the test's own
/// connection to read keys with, the ledger of runs, and the worker processes it started (killed when it ends).</summary>
public sealed class FaultQueue : IAsyncDisposable
{
    public const string Queue = "default";

    private readonly ServiceProvider services;
    private readonly List<ChildProcess> workers = [];

    public FaultQueue(RedisServer server, FaultMachine machine, string? workerUrl = null)
    {
        Server = server;
        Prefix = TestBroker.NewPrefix();
        Keys = new RedisKeys(Prefix);
        WorkerUrl = workerUrl ?? server.AdminUrl;
        Ledger = new RunLedger(machine.Ledger, Prefix);
        var collection = new ServiceCollection();
        collection.AddTaskQueue(o =>
        {
            o.Url = server.AdminUrl;
            o.KeyPrefix = Prefix;
        });
        services = collection.BuildServiceProvider();
    }

    public RedisServer Server { get; }

    public string Prefix { get; }

    public RedisKeys Keys { get; }

    /// <summary>The URL workers get (through a proxy, say).</summary>
    public string WorkerUrl { get; }

    public RunLedger Ledger { get; }

    public TaskQueueClient Client => services.GetRequiredService<TaskQueueClient>();

    public IDatabase Database => Server.Database;

    public IReadOnlyList<ChildProcess> Workers => workers;

    /// <summary>Enqueues <paramref name="count"/> <c>faults.record</c> jobs with ids <c>job-00000</c>... sleeping the
    /// given seconds each, in batches of the API's bulk enqueue.</summary>
    public async Task<IReadOnlyList<string>> EnqueueRecordJobsAsync(int count, Func<int, double> seconds)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"job-{i:00000}").ToList();
        var requests = ids.Select((id, i) => JobRequest.Create("faults.record", [seconds(i)], options: new EnqueueOptions { JobId = id }));
        await Client.Queue(Queue).EnqueueManyAsync(requests);
        return ids;
    }

    /// <summary>Starts a worker on <see cref="WorkerUrl"/> with the ledger in its environment.</summary>
    public ChildProcess StartWorker(params string[] args) => StartWorker(null, args);

    /// <summary>Starts a worker with more environment variables.</summary>
    public ChildProcess StartWorker(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string>(Ledger.Environment);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) variables[key] = value;
        var worker = Taskq.StartWorker(WorkerUrl, Prefix, variables, args);
        workers.Add(worker);
        return worker;
    }

    public Task<long> CountAsync(Registry registry) => Database.SortedSetLengthAsync(Keys.Registry(registry, Queue));

    public async Task<string?> StatusAsync(string id)
    {
        var value = await Database.HashGetAsync(Keys.Job(id), "status");
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>The jobs <paramref name="worker"/> is running, as Redis sees them (started, its name on them).</summary>
    public async Task<IReadOnlyList<string>> RunningOnAsync(string worker)
    {
        var started = await Database.SortedSetRangeByRankAsync(Keys.Registry(Registry.Started, Queue));
        var batch = Database.CreateBatch();
        var reads = started.Select(id => (Id: id.ToString(), Fields: batch.HashGetAsync(Keys.Job(id!), ["status", "worker_name"]))).ToList();
        batch.Execute();
        var owned = new List<string>();
        foreach (var (id, fields) in reads)
        {
            var values = await fields;
            if (values[0] == "started" && values[1] == worker) owned.Add(id);
        }
        return owned;
    }

    /// <summary>Checks every id: finished and in the finished registry. Returns the ids that are not, with what they are.</summary>
    public async Task<IReadOnlyList<string>> NotFinishedAsync(IReadOnlyList<string> ids)
    {
        var finished = (await Database.SortedSetRangeByRankAsync(Keys.Registry(Registry.Finished, Queue))).Select(v => v.ToString()).ToHashSet();
        var batch = Database.CreateBatch();
        var reads = ids.Select(id => (Id: id, Status: batch.HashGetAsync(Keys.Job(id), "status"))).ToList();
        batch.Execute();
        var wrong = new List<string>();
        foreach (var (id, status) in reads)
        {
            var value = await status;
            if (value != "finished" || !finished.Contains(id)) wrong.Add($"{id}: {(value.IsNull ? "no hash" : value)}{(finished.Contains(id) ? "" : ", not in the finished registry")}");
        }
        return wrong;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in workers)
        {
            await worker.DisposeAsync();
            TestContext.Current.TestOutputHelper?.WriteLine($"--- {worker}, exit code {worker.ExitCode}, last output:\n{worker.Output.Tail()}");
        }
        await services.DisposeAsync();
    }
}
