namespace TaskQueue.Faults.Tests.Support;

/// <summary>What every fault test needs from the machine, checked once per run: Debian's <c>redis-server</c>
/// (7.0 in CI), and a ledger server of the run's own, where test tasks count their runs out of reach of the faults.</summary>
/// <remarks>A missing redis-server fails every test with one message saying what to install: a suite that skipped
/// would prove nothing.</remarks>
public sealed class FaultMachine : IAsyncLifetime
{
    private RedisServer? ledger;

    /// <summary>The server the <c>faults.*</c> test tasks record runs on (<see cref="RunLedger"/>); never killed, cut or filled.</summary>
    public RedisServer Ledger => ledger ?? throw new InvalidOperationException("the fault machine is not initialized");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(RedisServer.Executable))
        {
            throw new InvalidOperationException(
                $"The fault suite starts its own redis-server processes and needs {RedisServer.Executable}: apt-get install -y redis-server " +
                "(.ci/run installs it). It does not use any server already running.");
        }
        ledger = await RedisServer.StartAsync("ledger");
    }

    public async ValueTask DisposeAsync()
    {
        if (ledger is not null) await ledger.DisposeAsync();
    }
}
