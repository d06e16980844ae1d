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
}
