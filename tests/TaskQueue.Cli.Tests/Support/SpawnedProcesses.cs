namespace TaskQueue.Cli.Tests.Support;

/// <summary>Kills every taskq process a test left running, at the end of the run or when the test host exits.</summary>
public sealed class SpawnedProcesses : IDisposable
{
    public SpawnedProcesses() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();

    public void Dispose() => KillAll();

    private static void KillAll()
    {
        foreach (var (_, process) in TaskqProcess.Live)
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
