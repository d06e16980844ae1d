using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using TaskQueue.TestSupport;

namespace TaskQueue.Cli.Tests.Support;

/// <summary>A real <c>dotnet taskq.dll</c> process: started with the test broker's URL and a test's key prefix
/// in its environment, its output captured, signalled or killed at will, and always killed at the end.</summary>
/// <remarks>Every process is also tracked in <see cref="Live"/> so <see cref="SpawnedProcesses"/> kills any a
/// test left behind, even when the test failed before its own cleanup ran.</remarks>
internal sealed class TaskqProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>Processes started and not yet disposed.</summary>
    internal static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process process;
    private readonly StringBuilder output = new();

    private int? exitCode;

    private TaskqProcess(Process process) => this.process = process;

    /// <summary>The CLI as built next to this test assembly (the project reference copies it there).</summary>
    public static string TaskqDll => Path.Combine(AppContext.BaseDirectory, "taskq.dll");

    /// <summary>The test task assembly, for <c>--assembly</c>.</summary>
    public static string TestTasksDll => typeof(TestTasks.ProcessTasks).Assembly.Location;

    public int Pid { get; private set; }

    public bool HasExited => process.HasExited;

    /// <summary>The exit code; after <see cref="DisposeAsync"/> too (137 when it was killed, -1 when it would not die).</summary>
    public int ExitCode => exitCode ?? process.ExitCode;

    /// <summary>Stdout and stderr so far, interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>Starts <c>taskq ARGS</c> with <c>TASKQ_URL</c> and <c>TASKQ_PREFIX</c> set.</summary>
    public static TaskqProcess Start(TestBroker broker, string prefix, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TaskqDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["TASKQ_URL"] = broker.Url;
        start.Environment["TASKQ_PREFIX"] = prefix;
        start.Environment.Remove("REDIS_URL");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var spawned = new TaskqProcess(process);
        process.OutputDataReceived += (_, e) => spawned.Append(e.Data);
        process.ErrorDataReceived += (_, e) => spawned.Append(e.Data);
        process.Start();
        spawned.Pid = process.Id;
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return spawned;
    }

    /// <summary>Sends a POSIX signal (<see cref="SigTerm"/>, <see cref="SigInt"/>).</summary>
    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: the process dies between two instructions, as in a crash or an OOM kill.</summary>
    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"taskq (pid {Pid}) did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }
        // The no-argument wait also drains the redirected output, so Output is complete from here.
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until the output has a line containing <paramref name="text"/>.</summary>
    /// <exception cref="InvalidOperationException">The process exited without printing it.</exception>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(Printed(text)), $"{this} to print '{text}'", timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{this} did not print '{text}' in time. Output:\n{Output}");
        }
    }

    private bool Printed(string text)
    {
        if (Output.Contains(text, StringComparison.Ordinal)) return true;
        return HasExited ? throw new InvalidOperationException($"{this} exited ({ExitCode}) without printing '{text}'. Output:\n{Output}") : false;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
        }
        finally
        {
            exitCode = process.HasExited ? process.ExitCode : -1;
            Live.TryRemove(Pid, out _);
            process.Dispose();
        }
    }

    public override string ToString() => $"taskq pid {Pid}";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
