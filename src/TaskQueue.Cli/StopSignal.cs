using System.Runtime.InteropServices;

namespace TaskQueue.Cli;

/// <summary>A cancellation that fires on SIGINT (Ctrl+C) or SIGTERM, for commands that run until stopped.</summary>
/// <remarks>The worker does not use it: its host counts signals itself (drain first, stop at once on the second).</remarks>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;

    private StopSignal(CancellationToken outer)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Fires on a signal, or when <paramref name="outer"/> does.</summary>
    public static StopSignal Listen(CancellationToken outer) => new(outer);

    public CancellationToken Token => source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: the command ends on its own once it sees the token.
        context.Cancel = true;
        source.Cancel();
    }

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
        source.Dispose();
    }
}
