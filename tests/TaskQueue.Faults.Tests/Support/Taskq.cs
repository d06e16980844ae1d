using TaskQueue.TestSupport;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>Starts real <c>dotnet taskq.dll</c> processes: workers with the test tasks loaded, and one-shot commands
/// whose output and exit code a test reads.</summary>
public static class Taskq
{
    /// <summary>The CLI as built next to this test assembly (the project reference copies it there).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "taskq.dll");

    /// <summary>The test task assembly, for <c>--assembly</c>.</summary>
    public static string TestTasksDll => typeof(TestTasks.FaultTasks).Assembly.Location;

    /// <summary>Starts <c>taskq worker ARGS --assembly TestTasks.dll</c> against <paramref name="url"/> under <paramref name="prefix"/>.</summary>
    /// <param name="environment">More variables: the ledger's, a heap limit.</param>
    public static ChildProcess StartWorker(string url, string prefix, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["TASKQ_URL"] = url,
            ["TASKQ_PREFIX"] = prefix,
        };
        return ChildProcess.Start("taskq worker", "dotnet", [Dll, "worker", .. args, "--assembly", TestTasksDll], variables);
    }

    /// <summary>Runs <c>taskq ARGS</c> to its end (at most <paramref name="timeout"/>, 60 s by default) with exactly
    /// <paramref name="environment"/> besides the machine's.</summary>
    public static async Task<CommandResult> RunAsync(IReadOnlyDictionary<string, string> environment, string[] args, TimeSpan? timeout = null)
    {
        await using var process = ChildProcess.Start("taskq " + args.FirstOrDefault(), "dotnet", [Dll, .. args], environment);
        var code = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return new CommandResult(string.Join(' ', args), code, process.Stdout, process.Output);
    }
}

/// <summary>What a command printed, and how it exited.</summary>
/// <param name="Output">Stdout and stderr, interleaved.</param>
public sealed record CommandResult(string Command, int ExitCode, string Stdout, string Output)
{
    /// <summary>Stdout without its trailing newline (a printed job id, say).</summary>
    public string Line => Stdout.TrimEnd();

    /// <summary>What stderr said (the output less stdout's lines).</summary>
    public string Stderr => string.Join('\n', Output.Split('\n').Except(Stdout.Split('\n'))).Trim();

    public override string ToString() => $"taskq {Command}: exit {ExitCode}\n{Output}";
}
