using StackExchange.Redis;
using TaskQueue.Storage;
using TaskQueue.TestSupport;

namespace TaskQueue.Tests.Storage;

public sealed class StoredScriptTests(TestBroker broker)
{
    [Fact]
    public async Task Evaluate_ServerLostTheScript_SentAgainAsText()
    {
        var redis = await broker.ConnectAsync();
        var script = new StoredScript($"return ARGV[1] .. '{Guid.NewGuid():N}'");
        var first = (string?)await script.EvaluateAsync(redis.Database, ["a"]);
        Assert.Equal(first, (string?)await script.EvaluateAsync(redis.Database, ["a"]));

        // As after a restart: the server no longer has it. Other tests running now fall back the same way.
        try { await redis.Database.ExecuteAsync("SCRIPT", "FLUSH"); }
        catch (RedisServerException) { Assert.Skip("this server has no SCRIPT FLUSH"); }

        Assert.Equal(first, (string?)await script.EvaluateAsync(redis.Database, ["a"]));
    }

    [Fact]
    public async Task LoadAhead_CallsPipelinedByHashBehindIt_RunInOrderOnAServerThatNeverSawTheScript()
    {
        var redis = await broker.ConnectAsync();
        var key = $"tests:stored:{Guid.NewGuid():N}";
        var script = new StoredScript($"-- {Guid.NewGuid():N}\nreturn redis.call('RPUSH', ARGV[1], ARGV[2])");

        script.LoadAhead(redis.Database);
        var calls = Enumerable.Range(0, 50).Select(i => script.EvaluateAsync(redis.Database, [key, i])).ToArray();
        await Task.WhenAll(calls);

        Assert.Equal([.. Enumerable.Range(0, 50).Select(i => i.ToString())], (await redis.Database.ListRangeAsync(key)).Select(v => v.ToString()));
        var exists = (RedisResult[])(await redis.Database.ExecuteAsync("SCRIPT", "EXISTS", Convert.ToHexStringLower(script.Sha1)))!;
        Assert.Equal(1, (long)exists[0]);
    }
}
