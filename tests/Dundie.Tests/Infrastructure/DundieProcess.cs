using System.Diagnostics;
using System.Text;

namespace Dundie.Tests.Infrastructure;

/// <summary>The real <c>dundie</c> program as a child process, with its output captured.</summary>
public sealed class DundieProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();

    private DundieProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (stdout) { return stdout.ToString(); } } }

    public string Error { get { lock (stderr) { return stderr.ToString(); } } }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts <c>dundie ARGS</c> in <paramref name="workingDirectory"/> with exactly the given DUNDIE_* settings.</summary>
    public static DundieProcess Start(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dundie.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The child sees only the settings a test gives it, not a developer's exported DUNDIE_* or environment name.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DUNDIE_", StringComparison.Ordinal)
                     || k is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        start.Environment["NO_COLOR"] = "1";
        var child = new DundieProcess(Process.Start(start)!);
        if (stdin is not null)
        {
            child.process.StandardInput.Write(stdin);
        }
        child.process.StandardInput.Close();
        return child;
    }

    /// <summary>Runs <c>dundie ARGS</c> to completion (failing the test after <paramref name="timeout"/>).</summary>
    public static async Task<DundieProcess> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string? stdin, params string[] args)
    {
        var child = Start(workingDirectory, environment, stdin, args);
        await child.WaitForExitAsync(timeout);
        return child;
    }

    /// <summary>Waits for the process to end; kills it and fails when it outlives <paramref name="timeout"/>.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            // The exit can arrive before the last output lines: the parameterless wait drains them.
            process.WaitForExit();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dundie did not exit within {timeout}.\nstdout:\n{Output}\nstderr:\n{Error}");
        }
    }

    /// <summary>Sends SIGTERM, as systemd and docker do to stop a service.</summary>
    public void Terminate()
    {
        if (process.HasExited)
        {
            return;
        }
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Sends SIGKILL, as the OOM killer or a lost machine does: the process gets no chance to clean up.</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            // Process.Kill is SIGKILL on Unix; only this process, not a tree, as a crash would take it.
            process.Kill(entireProcessTree: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
