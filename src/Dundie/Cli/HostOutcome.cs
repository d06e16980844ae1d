namespace Dundie.Cli;

/// <summary>The exit code of a command that runs a host with background services (<c>dundie worker</c>, <c>dundie up</c>).</summary>
/// <remarks>
/// A background service that throws stops the host, and <c>RunAsync</c> then returns as after a clean SIGTERM. systemd
/// and docker restart policies look at the exit code, so a crash must not exit 0.
/// </remarks>
internal sealed class HostOutcome
{
    private readonly BackgroundService[] services;

    private HostOutcome(BackgroundService[] services) => this.services = services;

    /// <summary>Notes the host's background services; call before running it, since running disposes the host.</summary>
    public static HostOutcome Watch(IHost host) =>
        new(host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToArray());

    /// <summary>1, with one line on standard error, when a background service ended by throwing; else 0.</summary>
    public int ExitCode()
    {
        if (!services.Any(service => service.ExecuteTask is { IsFaulted: true }))
        {
            return 0;
        }
        Console.Error.WriteLine("error: a background service stopped on an error (see the log above).");
        return 1;
    }
}
