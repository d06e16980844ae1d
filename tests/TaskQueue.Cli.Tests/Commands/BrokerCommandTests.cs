using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using TaskQueue.Cli.Tests.Support;
using TaskQueue.Connection;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Commands;

public sealed partial class BrokerCommandTests
{
    [Fact]
    public async Task Broker_FreePort_PrintsUrlServesUntilStopped()
    {
        var output = new CapturedWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var run = CliRunner.RunRawAsync(["broker", "--port", "0"], new Dictionary<string, string>(), stop.Token, output);
        await Eventually.HoldsAsync(() => Task.FromResult(ListeningUrl().IsMatch(output.Text) || run.IsCompleted), "the broker's URL");
        var url = ListeningUrl().Match(output.Text).Groups[1].Value;
        await using (var connection = await RedisConnection.ConnectAsync(url, TestContext.Current.CancellationToken))
        {
            Assert.Equal("PONG", (await connection.Database.ExecuteAsync("PING")).ToString());
        }
        await stop.CancelAsync();
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("Broker stopped", result.Out.TrimEnd());
    }

    [Fact]
    public async Task Broker_PortTaken_OneLineExit1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var result = await CliRunner.RunRawAsync(["broker", "--port", port.ToString()], new Dictionary<string, string>(),
            TestContext.Current.CancellationToken);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"taskq: cannot start the broker on port {port}: ", Assert.Single(result.Error.TrimEnd().Split('\n')));
    }

    [GeneratedRegex(@"Broker listening on (redis://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningUrl();
}
