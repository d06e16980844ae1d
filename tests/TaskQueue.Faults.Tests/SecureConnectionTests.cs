using TaskQueue.Faults.Tests.Support;
using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests;

/// <summary>A password, an ACL user and TLS in the URL: every <c>taskq</c> command and the worker work; a wrong
/// password or an untrusted server certificate is one clear line and exit 1; and no output ever holds the password,
/// even one typed into <c>--url</c> without percent-encoding.</summary>
public sealed class SecureConnectionTests
{
    [Fact(Timeout = 300_000)]
    public async Task Password_NotPercentEncodedInUrl_EveryCommandWorksNoOutputHoldsIt()
    {
        var password = $"p@ss/w#rd?{Guid.NewGuid():N}"[..24];
        await using var server = await RedisServer.StartWithPasswordAsync("password", password);

        var results = await RunEveryCommandAsync($"redis://:{password}@127.0.0.1:{server.Port}", server, everyCommand: true, runningWorker: true);

        AssertNoneHolds(results, password, "password typed without percent-encoding");
    }

    [Fact(Timeout = 300_000)]
    public async Task AclUser_InUrl_CommandsAndWorkerWorkNoOutputHoldsThePassword()
    {
        var admin = $"admin-{Guid.NewGuid():N}";
        var password = $"pw-{Guid.NewGuid():N}";
        await using var server = await RedisServer.StartWithPasswordAsync("acl", admin, "--user", "alice", "on", $">{password}", "~*", "&*", "+@all");

        var results = await RunEveryCommandAsync($"redis://alice:{password}@127.0.0.1:{server.Port}", server, everyCommand: FaultScale.IsFull,
            runningWorker: FaultScale.IsFull);

        AssertNoneHolds(results, password, "ACL user");
    }

    [Fact(Timeout = 300_000)]
    public async Task Tls_CaNamedInUrl_EveryCommandWorksNoOutputHoldsThePassword()
    {
        var password = $"tls-{Guid.NewGuid():N}";
        await using var server = await RedisServer.StartTlsAsync("tls", password);
        var url = $"rediss://:{password}@127.0.0.1:{server.Port}?ssl_ca_certs={Uri.EscapeDataString(server.Certificates!.CaFile)}";

        var results = await RunEveryCommandAsync(url, server, everyCommand: FaultScale.IsFull, runningWorker: true);

        AssertNoneHolds(results, password, "TLS with a password");
    }

    [Fact(Timeout = 300_000)]
    public async Task Tls_ServerCaNotTrusted_OneLineAboutTheCertificateExit1()
    {
        var password = $"tls-{Guid.NewGuid():N}";
        await using var server = await RedisServer.StartTlsAsync("tls-untrusted", password);
        var url = $"rediss://:{password}@127.0.0.1:{server.Port}";

        var unknown = await Taskq.RunAsync(NoVariables, ["info", "--url", url]);
        var other = await Taskq.RunAsync(NoVariables, ["info", "--url", $"{url}?ssl_ca_certs={Uri.EscapeDataString(server.Certificates!.OtherCaFile)}"]);

        foreach (var result in new[] { unknown, other })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            var line = Assert.Single(result.Stderr.Split('\n'));
            Assert.Contains("certificate", line);
            Assert.DoesNotContain("password", line);
            Assert.DoesNotContain(password, result.Output);
        }
        Figures.Report("TLS to a server whose CA is not trusted", $"taskq info: exit 1, \"{unknown.Stderr}\"");
    }

    [Fact(Timeout = 300_000)]
    public async Task WrongPassword_AnyCommand_OneLineExit1PasswordNotEchoed()
    {
        await using var server = await RedisServer.StartWithPasswordAsync("wrong-password", $"right-{Guid.NewGuid():N}");
        var wrong = $"wr@ng/pass#{Guid.NewGuid():N}"[..20];

        var info = await Taskq.RunAsync(NoVariables, ["info", "--url", $"redis://:{wrong}@127.0.0.1:{server.Port}"]);
        var worker = await Taskq.RunAsync(NoVariables, ["worker", "--burst", "--url", $"redis://:{wrong}@127.0.0.1:{server.Port}"]);

        foreach (var result in new[] { info, worker })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            var line = Assert.Single(result.Stderr.Split('\n'));
            Assert.Contains("authentication failed", line);
            AssertNoneHolds([result], wrong, "wrong password", report: false);
        }
        Figures.Report("wrong password", $"taskq info and taskq worker: exit 1, \"{info.Stderr}\"");
    }

    private static readonly Dictionary<string, string> NoVariables = new();

    /// <summary>Runs the commands of README's table against <paramref name="url"/> (always typed into <c>--url</c>), under a
    /// prefix of their own, each of which must exit 0; the worker both with <c>--burst</c> and as a long-running process
    /// that <c>stop-job</c> reaches. Returns every command's output.</summary>
    /// <param name="everyCommand">Every command; else enqueue, worker --burst, job and info (the CI run, for time).</param>
    /// <param name="runningWorker">A long-running worker too, with stop-job.</param>
    private static async Task<List<CommandResult>> RunEveryCommandAsync(string url, RedisServer server, bool everyCommand, bool runningWorker)
    {
        var prefix = TestBroker.NewPrefix();
        var results = new List<CommandResult>();
        async Task<CommandResult> Run(params string[] args)
        {
            var result = await Taskq.RunAsync(NoVariables, [.. args, "--url", url, "--prefix", prefix]);
            results.Add(result);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result;
        }

        var echo = (await Run("enqueue", "taskq.echo", "--args", "[\"hi\"]")).Line;
        var fail = (await Run("enqueue", "taskq.fail", "--args", "[\"boom\"]")).Line;
        await Run("worker", "--burst");
        Assert.Contains("finished", (await Run("job", echo)).Stdout);
        await Run("info");
        if (everyCommand)
        {
            var later = (await Run("enqueue", "taskq.echo", "--args", "[\"later\"]", "--in", "1h")).Line;
            await Run("job", fail, "--json");
            await Run("info", "--json");
            await Run("requeue", fail);
            await Run("empty", "default");
            await Run("cancel", later);
            await Run("suspend");
            await Run("resume");
        }
        if (runningWorker)
        {
            // A running worker: its blocking connection and its command channel, both through the same URL.
            var sleeper = (await Run("enqueue", "taskq.sleep", "--args", "[60]")).Line;
            await using var worker = ChildProcess.Start("taskq worker", "dotnet", [Taskq.Dll, "worker", "--url", url, "--prefix", prefix]);
            var job = new Storage.RedisKeys(prefix).Job(sleeper);
            await Eventually.HoldsAsync(async () => await server.Database.HashGetAsync(job, "status") == "started", "the sleeper to start",
                TimeSpan.FromSeconds(30));
            await Run("stop-job", sleeper);
            await Eventually.HoldsAsync(async () => await server.Database.HashGetAsync(job, "status") == "stopped", "the sleeper to stop",
                TimeSpan.FromSeconds(30));
            worker.Signal(ChildProcess.SigTerm);
            Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            results.Add(new CommandResult("worker (long-running)", 0, worker.Stdout, worker.Output));
        }
        return results;
    }

    /// <summary>No output holds the secret, nor any 8-character piece of it (long enough not to match by chance).</summary>
    private static void AssertNoneHolds(IReadOnlyList<CommandResult> results, string secret, string what, bool report = true)
    {
        var pieces = Enumerable.Range(0, secret.Length - 7).Select(i => secret.Substring(i, 8)).ToList();
        var leaks = results.Where(r => pieces.Any(p => r.Output.Contains(p, StringComparison.Ordinal))).ToList();
        if (report)
        {
            Figures.Report($"connection, {what}",
                $"{results.Count} taskq commands (worker included) exited 0; outputs holding the password or a piece of it: {leaks.Count}");
        }
        Assert.True(leaks.Count == 0, $"the password ({what}) was printed:\n{string.Join("\n", leaks)}");
    }
}
