using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using TaskQueue.Jobs;
using TaskQueue.Workers;

namespace TaskQueue.Isolation;

/// <summary>One child process as its worker sees it: started from the child command, connected over its own socket,
/// running one job at a time, and killed, with any process it started, when a job overruns its grace.</summary>
internal sealed class Child : IAsyncDisposable
{
    /// <summary>How long a killed or dying child gets to be reaped, so that its job's outcome is recorded only once
    /// its code is gone.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly ChildChannel channel;

    private Child(Process process, ChildChannel channel)
    {
        this.process = process;
        this.channel = channel;
    }

    public int Pid => process.Id;

    /// <summary>False once the process has exited.</summary>
    public bool IsAlive
    {
        get
        {
            try { return !process.HasExited; }
            catch (InvalidOperationException) { return false; }
        }
    }

    /// <summary>Starts a child and waits until it has connected and said who it is.</summary>
    /// <exception cref="ChildStartException">It exited, did not connect within <paramref name="readyTimeout"/>, or sent
    /// something else than its greeting.</exception>
    public static async Task<Child> StartAsync(ChildCommand command, string socketPath, TimeSpan readyTimeout, int maxLineBytes,
        CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var start = new ProcessStartInfo(command.FileName) { UseShellExecute = false };
        foreach (var argument in command.Arguments) start.ArgumentList.Add(argument);
        start.Environment[TaskQueueChild.Variable] = $"{socketPath};{token}";
        var process = new Process { StartInfo = start };
        Child? child = null;
        try
        {
            try
            {
                process.Start();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw new ChildStartException($"cannot start '{command.FileName}': {e.Message}");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(readyTimeout);
            var accepting = listener.AcceptAsync(timeout.Token).AsTask();
            var exited = process.WaitForExitAsync(timeout.Token);
            Socket socket;
            try
            {
                if (await Task.WhenAny(accepting, exited) != accepting)
                {
                    await exited;
                    throw new ChildStartException(NotReady(process));
                }
                socket = await accepting;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ChildStartException($"the child process (pid {process.Id}) did not connect within {readyTimeout.TotalSeconds:0.#} s");
            }
            child = new Child(process, new ChildChannel(new NetworkStream(socket, ownsSocket: true), maxLineBytes));
            ChildMessage? hello;
            try
            {
                hello = await child.channel.ReceiveAsync(timeout.Token);
            }
            catch (ChildProtocolException e)
            {
                throw new ChildStartException(e.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ChildStartException($"the child process (pid {process.Id}) connected but did not say it was ready");
            }
            if (hello is null) throw new ChildStartException(NotReady(process));
            if (hello.Token != token || hello.Pid != process.Id)
            {
                throw new ChildStartException($"the process that connected is not the child started (pid {hello.Pid}, expected {process.Id})");
            }
            return child;
        }
        catch
        {
            if (child is not null) await child.DisposeAsync();
            else Kill(process);
            process.Dispose();
            throw;
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    /// <summary>Runs <paramref name="job"/> in the child. Its cancellation is passed on as a message; when the child
    /// has not answered <paramref name="grace"/> after it, the child is killed.</summary>
    public async Task<ChildRun> RunAsync(StartedJob job, string workerName, RunningJob running, TimeSpan grace, TimeProvider time)
    {
        Task<ChildMessage?> reply;
        try
        {
            await channel.SendAsync(new ChildMessage { Run = job, Worker = workerName });
            reply = channel.ReceiveAsync();
        }
        catch (IOException)
        {
            return await DiedAsync();
        }
        var canceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (running.Cancellation.Token.Register(() =>
        {
            _ = channel.SendAsync(new ChildMessage { Cancel = running.Reason, JobId = job.Id }).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            canceled.TrySetResult();
        }))
        {
            if (await Task.WhenAny(reply, canceled.Task) != reply)
            {
                try
                {
                    await reply.WaitAsync(grace, time);
                }
                catch (TimeoutException)
                {
                    Kill(process);
                    await WaitForExitAsync();
                    return new ChildRun(ChildEnd.Killed, null, null);
                }
                catch (Exception)
                {
                    // Read below.
                }
            }
        }
        try
        {
            if (await reply is not { Done: { } done }) return await DiedAsync();
            return new ChildRun(ChildEnd.Replied, done, null);
        }
        catch (ChildProtocolException e)
        {
            Kill(process);
            await WaitForExitAsync();
            return new ChildRun(ChildEnd.Broken, null, $"ChildProcessError: {e.Message} (pid {Pid}); it was replaced");
        }
        catch (IOException)
        {
            return await DiedAsync();
        }
    }

    private async Task<ChildRun> DiedAsync()
    {
        await WaitForExitAsync();
        var how = process.HasExited ? $"exited with code {process.ExitCode}" : "closed its connection";
        return new ChildRun(ChildEnd.Died, null,
            $"ChildProcessError: the child process running the job (pid {Pid}) {how} before the job ended " +
            "(a crash, Environment.FailFast, running out of memory, or a kill from outside); it was replaced");
    }

    private async Task WaitForExitAsync()
    {
        try { await process.WaitForExitAsync().WaitAsync(ExitWait); }
        catch (TimeoutException) { }
    }

    private static string NotReady(Process process) =>
        $"the child process (pid {process.Id}) exited with code {(process.HasExited ? process.ExitCode : -1)} before it was ready; " +
        $"its Main must hand over to TaskQueueChild.RunAsync when TaskQueueChild.IsChild() (README, \"Process isolation\"); " +
        "its own output above says more";

    private static void Kill(Process process)
    {
        try { process.Kill(entireProcessTree: true); }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException) { }
    }

    /// <summary>Closes the connection (the child exits by itself when it reads the end), and kills it if it has not
    /// exited shortly after.</summary>
    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2)); }
        catch (TimeoutException) { Kill(process); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}

/// <summary>How a job in a child ended: the child answered, was killed after its grace, died, or broke the protocol.</summary>
internal enum ChildEnd
{
    Replied,
    Killed,
    Died,
    Broken,
}

/// <summary>What running a job in a child came to: the child's own outcome when it answered, else why it did not.</summary>
internal readonly record struct ChildRun(ChildEnd End, ChildOutcome? Outcome, string? Error);

/// <summary>A child process could not be started or did not become ready.</summary>
internal sealed class ChildStartException(string message) : Exception(message);
