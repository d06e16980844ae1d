using TaskQueue.Cli.Connection;
using TaskQueue.Cli.Tests.Support;

namespace TaskQueue.Cli.Tests.Commands;

public sealed class ConnectionTests
{
    private static Func<string, string?> Variables(params (string Name, string Value)[] set) =>
        name => set.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Resolve_Nothing_LocalRedisAndRqPrefix()
    {
        var settings = ConnectionSettings.Resolve(null, null, Variables());

        Assert.Equal("redis://127.0.0.1:6379", settings.Url);
        Assert.Equal("rq:", settings.Prefix);
    }

    [Fact]
    public void Resolve_OptionAndVariables_OptionWinsThenTaskqUrlThenRedisUrl()
    {
        var both = Variables(("TASKQ_URL", "redis://taskq:1"), ("REDIS_URL", "redis://redis:2"), ("TASKQ_PREFIX", "tenant:"));

        Assert.Equal("redis://option:3", ConnectionSettings.Resolve("redis://option:3", null, both).Url);
        Assert.Equal("redis://taskq:1", ConnectionSettings.Resolve(null, null, both).Url);
        Assert.Equal("rediss://redis:2", ConnectionSettings.Resolve(null, null, Variables(("REDIS_URL", "rediss://redis:2"))).Url);
        Assert.Equal("tenant:", ConnectionSettings.Resolve(null, null, both).Prefix);
        Assert.Equal("mine:", ConnectionSettings.Resolve(null, "mine:", both).Prefix);
    }

    [Fact]
    public void Resolve_BadUrlWithPassword_UsageErrorNamesSourceHidesPassword()
    {
        var error = Assert.Throws<UsageException>(() =>
            ConnectionSettings.Resolve(null, null, Variables(("TASKQ_URL", "redis://:hunter2@localhost/notadb"))));

        Assert.StartsWith("TASKQ_URL: ", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public async Task Command_UnreachableBrokerWithPassword_OneLineExit1PasswordHidden()
    {
        var result = await CliRunner.RunRawAsync(["info"], new Dictionary<string, string> { ["REDIS_URL"] = "redis://:hunter2@127.0.0.1:1" },
            TestContext.Current.CancellationToken);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("taskq: Cannot connect to Redis at redis://:***@127.0.0.1:1", line);
        Assert.DoesNotContain("hunter2", result.Error + result.Out);
    }

    [Fact]
    public async Task Command_NotARedisUrl_Exit2()
    {
        var result = await CliRunner.RunRawAsync(["info", "--url", "http://example"], new Dictionary<string, string>(),
            TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("taskq: --url: ", result.Error);
    }
}
