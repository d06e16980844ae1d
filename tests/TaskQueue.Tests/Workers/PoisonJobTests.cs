using System.IO.Compression;
using StackExchange.Redis;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Hosting;

namespace TaskQueue.Tests.Workers;

/// <summary>One malformed job among 19 valid ones, all taken in one batch by one worker at concurrency 20: the poison
/// fails with a reason (or is skipped and logged), every valid job finishes and is filed, and the worker neither dies
/// nor wedges (a burst worker exits). Each case once lost, wedged or leaked valid jobs (issue #12).</summary>
public sealed class PoisonJobTests(TestBroker broker)
{
    private const int Valid = 19;

    private Task<TestQueue> CreateAsync(Action<TaskQueueOptions>? options = null) =>
        TestQueue.CreateAsync(broker, b => b.AddTasks(typeof(SampleTasks).Assembly), options: options);

    /// <summary>Queues 9 valid jobs, the poison (<paramref name="poison"/> enqueued, then spoiled by
    /// <paramref name="spoil"/>), and 10 more valid ones; runs a burst worker; checks every valid job finished and
    /// was filed with its retention. Returns the poison's id.</summary>
    private static async Task<string> RunAmongValidAsync(TestQueue q, JobRequest poison, Func<IDatabase, RedisKey, Task> spoil)
    {
        var queue = q.Client.Queue();
        var first = await queue.EnqueueManyAsync(Enumerable.Range(0, 9).Select(i => JobRequest.Create("tests.add", [i, 1])));
        var bad = await queue.EnqueueAsync(poison);
        await spoil(q.Database, q.Keys.Job(bad.Id));
        var rest = await queue.EnqueueManyAsync(Enumerable.Range(9, Valid - 9).Select(i => JobRequest.Create("tests.add", [i, 1])));

        await q.RunBurstAsync(o => o.Concurrency = 20, TimeSpan.FromSeconds(30));

        foreach (var job in first.Concat(rest))
        {
            Assert.Equal(JobStatus.Finished, await job.GetStatusAsync());
            Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Finished, "default"), job.Id));
            Assert.InRange((await q.Database.KeyTimeToLiveAsync(q.Keys.Job(job.Id)))!.Value.TotalSeconds, 1, 500);
        }
        Assert.Equal(0, await q.Database.SortedSetLengthAsync(q.Keys.Registry(Registry.Started, "default")));
        return bad.Id;
    }

    private static async Task<JobInfo> AssertFailedAsync(TestQueue q, string id, string reason)
    {
        var info = await q.Client.Job(id).GetInfoAsync();
        Assert.Equal(JobStatus.Failed, info!.Status);
        Assert.Contains(reason, info.ExcInfo);
        Assert.NotNull(await q.Database.SortedSetScoreAsync(q.Keys.Registry(Registry.Failed, "default"), id));
        return info;
    }

    private static Func<IDatabase, RedisKey, Task> Set(string field, RedisValue value) => (db, key) => db.HashSetAsync(key, field, value);

    private static JobRequest Add => JobRequest.Create("tests.add", [1, 1]);

    [Fact]
    public async Task JobKeyHoldingAString_Skipped_ValidJobsAroundItFinish()
    {
        await using var q = await CreateAsync();

        var id = await RunAmongValidAsync(q, Add, async (db, key) =>
        {
            await db.KeyDeleteAsync(key);
            await db.StringSetAsync(key, "s");
        });

        Assert.Equal("s", await q.Database.StringGetAsync(q.Keys.Job(id)));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("zset")]
    public async Task JobKeyOfAnotherType_Skipped_ValidJobsAroundItFinish(string type)
    {
        await using var q = await CreateAsync();

        await RunAmongValidAsync(q, Add, async (db, key) =>
        {
            await db.KeyDeleteAsync(key);
            if (type == "list") await db.ListRightPushAsync(key, "x"); else await db.SortedSetAddAsync(key, "x", 1);
        });
    }

    [Fact]
    public async Task RetryIntervalsGarbage_FailedWithReason_WorkerDoesNotWedge()
    {
        await using var q = await CreateAsync();

        var id = await RunAmongValidAsync(q, JobRequest.Create("tests.fail", ["boom"], options: new EnqueueOptions { Retry = new Retry(1) }),
            Set("retry_intervals", "garbage"));

        await AssertFailedAsync(q, id, "JobDataError: retry_intervals 'garbage' is not a JSON list");
    }

    [Theory]
    [InlineData("result_ttl", "1.5")]
    [InlineData("failure_ttl", "1.5")]
    [InlineData("retries_left", "inf")]
    [InlineData("retries_left", "-1")]
    [InlineData("timeout", "900000000000")]
    [InlineData("timeout", "1.5")]
    [InlineData("meta", "not json")]
    public async Task NumberOrFieldOutOfRange_FailedWithReasonBeforeRunning(string field, string value)
    {
        await using var q = await CreateAsync();

        var id = await RunAmongValidAsync(q, Add, Set(field, value));

        var info = await AssertFailedAsync(q, id, $"JobDataError: {field} '{value}' is not");
        Assert.Null(info.ResultJson);
    }

    [Fact]
    public async Task HugeTimeout_Accepted_AndLaterJobsStillTimeOut()
    {
        await using var q = await CreateAsync();
        var queue = q.Client.Queue();
        var sixtyDays = await queue.EnqueueAsync("tests.add", [1, 2], options: new EnqueueOptions { Timeout = TimeSpan.FromDays(60) });
        var hundredYears = await queue.EnqueueAsync("tests.add", [1, 2], options: new EnqueueOptions { Timeout = TimeSpan.FromSeconds(JobLimits.MaxSeconds) });
        var sleeper = await queue.EnqueueAsync("tests.sleep", [100], options: new EnqueueOptions { Timeout = TimeSpan.FromSeconds(1) });

        await q.RunBurstAsync(o => o.Concurrency = 3, TimeSpan.FromSeconds(30));

        Assert.Equal(3, await sixtyDays.WaitForResultAsync<int>(TimeSpan.FromSeconds(1)));
        Assert.Equal(3, await hundredYears.WaitForResultAsync<int>(TimeSpan.FromSeconds(1)));
        Assert.StartsWith("JobTimeoutException", (await sleeper.GetInfoAsync())!.ExcInfo);
    }

    [Fact]
    public async Task NoDataField_FailedWithReason_NotLeftQueuedOutsideEveryQueue()
    {
        await using var q = await CreateAsync();

        var id = await RunAmongValidAsync(q, Add, (db, key) => db.HashDeleteAsync(key, "data"));

        await AssertFailedAsync(q, id, "JobDataError: the job has no data field");
    }

    [Theory]
    [InlineData("""["tests.add", null, [1, 2], {}] trailing""")]
    [InlineData("""["tests.add", null, [1, 2], {}]]""")]
    public async Task TrailingGarbageAfterTheCall_Failed(string data)
    {
        await using var q = await CreateAsync();

        var id = await RunAmongValidAsync(q, Add, Set("data", data));

        await AssertFailedAsync(q, id, "JobDataError:");
    }

    [Fact]
    public async Task NonUtf8String_FailedAsDataErrorWithoutRetries()
    {
        await using var q = await CreateAsync();
        byte[] data = [.. """["tests.add", null, ["""u8, (byte)'"', 0xC3, 0x28, (byte)'"', .. """, 1], {}]"""u8];

        var id = await RunAmongValidAsync(q, JobRequest.Create("tests.add", [1, 1], options: new EnqueueOptions { Retry = new Retry(3) }), Set("data", data));

        var info = await AssertFailedAsync(q, id, "JobDataError: the job's data is not valid UTF-8");
        Assert.Equal(3, info.RetriesLeft);
    }

    [Fact]
    public async Task ZlibBomb_FailedWithoutInflatingItAll()
    {
        await using var q = await CreateAsync(o => o.MaxJobDataBytes = 1 << 20);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(""""["tests.add", null, [1, 2], {"x": """"u8);
            var zeros = new byte[1 << 20];
            Array.Fill(zeros, (byte)'0');
            for (var i = 0; i < 64; i++) zlib.Write(zeros);
            zlib.Write("\"}]"u8);
        }

        var id = await RunAmongValidAsync(q, Add, Set("data", compressed.ToArray()));

        await AssertFailedAsync(q, id, "JobDataError: the job's data inflates to more than 1048576 bytes");
    }

    [Fact]
    public async Task DataOverTheLimit_FailedBeforeItLeavesRedis()
    {
        await using var q = await CreateAsync(o => o.MaxJobDataBytes = 4096);

        var id = await RunAmongValidAsync(q, Add, Set("data", new string('x', 5000)));

        await AssertFailedAsync(q, id, "JobDataError: its data is 5000 bytes, over the limit of 4096");
    }

    [Fact]
    public async Task IdThatIsNotUtf8_FailedWithoutRunning()
    {
        await using var q = await CreateAsync();
        RedisKey badId = new byte[] { (byte)'j', 0xFF, 0xFE };

        await RunAmongValidAsync(q, Add, async (db, key) =>
        {
            var hash = await db.HashGetAllAsync(key);
            await db.KeyRenameAsync(key, ((RedisKey)q.Keys.Job("")).Append(badId));
            await db.ListRemoveAsync(q.Keys.Queue("default"), key.ToString()[q.Keys.Job("").Length..]);
            await db.ListRightPushAsync(q.Keys.Queue("default"), (byte[])badId!);
            Assert.NotEmpty(hash);
        });

        var status = await q.Database.HashGetAsync(((RedisKey)q.Keys.Job("")).Append(badId), "status");
        Assert.Equal("failed", status);
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("with:colons:in:it")]
    [InlineData("ünïcødé-✓")]
    public async Task UnusualButValidIds_RunLikeAnyOther(string id)
    {
        await using var q = await CreateAsync();

        var job = await q.Client.Queue().EnqueueAsync("tests.add", [2, 3], options: new EnqueueOptions { JobId = id });
        await q.RunBurstAsync();

        Assert.Equal(5, await job.WaitForResultAsync<int>(TimeSpan.FromSeconds(1)));
    }
}
