using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TaskQueue.Connection;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

/// <summary>The stores of one test on a private key prefix, with a fake clock, for running one script at a time.</summary>
internal sealed class StoreFixture
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private StoreFixture(RedisConnection redis, TaskQueueOptions options)
    {
        Redis = redis;
        Options = options;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        var broker = new BrokerConnection(redis);
        Jobs = new JobStore(broker, wrapped, Time);
        Workers = new WorkerStore(broker, wrapped, Time);
        Scheduler = new SchedulerStore(broker, wrapped, Time);
        Keys = Jobs.Keys;
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public RedisConnection Redis { get; }
    public IDatabase Db => Redis.Database;
    public bool Streams => Redis.Capabilities.Streams;
    public TaskQueueOptions Options { get; }
    public RedisKeys Keys { get; }
    public JobStore Jobs { get; }
    public WorkerStore Workers { get; }
    public SchedulerStore Scheduler { get; }

    public static async Task<StoreFixture> CreateAsync(TestBroker broker) =>
        new(await broker.ConnectAsync(), new TaskQueueOptions { Url = broker.Url, KeyPrefix = TestBroker.NewPrefix() });

    public double Now => RqTime.ToScore(Time.GetUtcNow());

    /// <summary>Enqueues one job through the Enqueue script; returns its id and the status it got.</summary>
    public async Task<(string Id, JobStatus Status)> EnqueueAsync(string task = "tests.add", object?[]? args = null, EnqueueOptions? options = null, string queue = "default")
    {
        var job = NewJob.Build(JobRequest.Create(task, args ?? [1, 2], options: options), queue, Time.GetUtcNow(), Options);
        var statuses = await Jobs.EnqueueAsync([job]);
        return (job.Id, statuses[0].Status);
    }

    /// <summary>Starts up to <paramref name="count"/> jobs for <paramref name="worker"/> through the Complete script.</summary>
    public async Task<IReadOnlyList<StartedJob>> DequeueAsync(string worker = "w1", int count = 1, params string[] queues) =>
        (await Workers.CompleteAsync(worker, [], queues.Length == 0 ? ["default"] : queues, count, TimeSpan.FromSeconds(10))).Started;

    public Task<CompleteReply> CompleteAsync(string worker, params JobOutcome[] outcomes) =>
        Workers.CompleteAsync(worker, outcomes, ["default"], 0, TimeSpan.FromSeconds(10));

    public async Task<string?> FieldAsync(string id, string field) => (string?)await Db.HashGetAsync(Keys.Job(id), field);

    public async Task<double?> ScoreAsync(Registry registry, string id, string queue = "default") =>
        await Db.SortedSetScoreAsync(Keys.Registry(registry, queue), id);

    public async Task<string[]> QueuedAsync(string queue = "default") =>
        (await Db.ListRangeAsync(Keys.Queue(queue))).Select(v => v.ToString()).ToArray();

    public async Task<TimeSpan?> TtlAsync(string key) => await Db.KeyTimeToLiveAsync(key);
}
