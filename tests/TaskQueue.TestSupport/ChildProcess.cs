using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
namespace TaskQueue.TestSupport;

/// <summary>A real child process (<c>dotnet taskq.dll</c>, <c>/usr/bin/python3</c>, <c>/usr/bin/rq</c>...): its output
/// captured, signalled or killed at will, and always killed, with its children, when disposed.</summary>
/// <remarks>Every process is tracked in <see cref="Live"/> so <see cref="ChildProcesses"/> kills any that a test left
/// behind, even when the test failed before its own cleanup ran.</remarks>
public sealed class ChildProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    internal static readonly ConcurrentDictionary<int, Process> Live = new();

    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder output = new();

    private int? exitCode;

    private ChildProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
    }

    /// <summary>What the test calls this process in messages (<c>taskq worker</c>, <c>rq worker</c>...).</summary>
    public string Name { get; }

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

    /// <summary>Stdout alone (the JSON the Python scripts print).</summary>
    public string Stdout
    {
        get
        {
            lock (output) return stdout.ToString();
        }
    }

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Only what a test passes reaches the child: a developer's REDIS_URL or RQ_REDIS_URL must not redirect it.
        foreach (var inherited in new[] { "REDIS_URL", "RQ_REDIS_URL", "TASKQ_URL", "TASKQ_PREFIX", "PYTHONPATH" }) start.Environment.Remove(inherited);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(process, name);
        process.OutputDataReceived += (_, e) => child.Append(e.Data, isStdout: true);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data, isStdout: false);
        process.Start();
        child.Pid = process.Id;
        Live[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends a POSIX signal (<see cref="SigTerm"/>, <see cref="SigInt"/>).</summary>
    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0 && !process.HasExited)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL, children included: the process dies between two instructions, as in a crash.</summary>
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
            throw new TimeoutException($"{this} did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
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
        return HasExited ? throw new InvalidOperationException($"{this} exited ({process.ExitCode}) without printing '{text}'. Output:\n{Output}") : false;
    }

    private void Append(string? line, bool isStdout)
    {
        if (line is null) return;
        lock (output)
        {
            output.AppendLine(line);
            if (isStdout) stdout.AppendLine(line);
        }
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

    public override string ToString() => $"{Name} (pid {Pid})";

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}

/// <summary>Kills every process a test left running, at the end of the run or when the test host exits.</summary>
public sealed class ChildProcesses : IDisposable
{
    public ChildProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public void Dispose() => KillAll();

    private static void KillAll()
    {
        foreach (var (_, process) in ChildProcess.Live)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
