using System.Text.RegularExpressions;
using TaskQueue.Jobs;
using TaskQueue.Storage;
using TaskQueue.TestSupport;
using TaskQueue.Hosting;
using TaskQueue.Tests.Workers;

namespace TaskQueue.Tests.Jobs;

/// <summary>A producer refuses what a worker would refuse, before anything is written; Lua and C# hold the same bounds.</summary>
public sealed class JobLimitsTests(TestBroker broker)
{
    [Fact]
    public void Limits_LuaCommon_HoldsTheSameNumbers()
    {
        using var stream = typeof(RedisKeys).Assembly.GetManifestResourceStream("TaskQueue.Scripts.Common.lua")!;
        var lua = new StreamReader(stream).ReadToEnd();

        Assert.Equal(JobLimits.MaxSeconds.ToString(), Regex.Match(lua, @"local MAX_SECONDS = (\d+)").Groups[1].Value);
        Assert.Equal(JobLimits.MaxRetries.ToString(), Regex.Match(lua, @"local MAX_RETRIES = (\d+)").Groups[1].Value);
    }

    [Fact]
    public async Task Enqueue_TimeoutOverTheLimit_RefusedAndNothingWritten()
    {
        await using var q = await TestQueue.CreateAsync(broker);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            q.Client.Queue().EnqueueAsync("tests.add", [1], options: new EnqueueOptions { Timeout = TimeSpan.FromDays(365 * 200) }));

        Assert.Contains("Timeout must be between 0 and 3153600000 seconds", error.Message);
        Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public async Task Enqueue_DataOverTheLimit_RefusedAndNothingWritten()
    {
        await using var q = await TestQueue.CreateAsync(broker, options: o => o.MaxJobDataBytes = 1000);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => q.Client.Queue().EnqueueAsync("tests.add", [new string('x', 2000)]));

        Assert.Contains("over the limit of 1000", error.Message);
        Assert.Equal(0, await q.Database.ListLengthAsync(q.Keys.Queue("default")));
    }

    [Fact]
    public void Retry_MoreThanTheLimit_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Retry(JobLimits.MaxRetries + 1));
}
