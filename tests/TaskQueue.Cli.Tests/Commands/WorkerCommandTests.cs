using TaskQueue.Cli.Tests.Support;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

/// <summary>The worker command's argument errors; running workers are tested as real processes in <c>Processes/</c>.</summary>
public sealed class WorkerCommandTests(TestBroker broker)
{
    [Theory]
    [InlineData("worker", "--heartbeat", "10ms")]
    [InlineData("worker", "--concurrency", "0")]
    [InlineData("worker", "--max-jobs", "-3")]
    [InlineData("worker", "--max-abandons", "-1")]
    [InlineData("worker", "--grace", "later")]
    [InlineData("worker", "bad,queue")]
    [InlineData("worker", "--assembly", "/no/such/tasks.dll")]
    [InlineData("worker", "--isolation", "container")]
    [InlineData("worker", "--isolation", "7")]
    [InlineData("worker", "--max-zombies", "0")]
    [InlineData("worker", "--cancel-grace", "-1s")]
    public async Task Worker_BadArguments_OneLineExit2(params string[] args)
    {
        var result = await new CliRunner(broker, TestBroker.NewPrefix()).RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("taskq: ", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [Fact]
    public async Task Worker_AssemblyNotDotNet_OneLineExit1()
    {
        var notAnAssembly = Path.Combine(Path.GetTempPath(), $"taskq-{Guid.NewGuid():N}.dll");
        await File.WriteAllTextAsync(notAnAssembly, "not a PE file", TestContext.Current.CancellationToken);
        try
        {
            var result = await new CliRunner(broker, TestBroker.NewPrefix()).RunAsync("worker", "--assembly", notAnAssembly);

            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"taskq: --assembly: '{notAnAssembly}' is not a .NET assembly.", result.Error.TrimEnd());
        }
        finally
        {
            File.Delete(notAnAssembly);
        }
    }
}
