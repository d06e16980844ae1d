using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TaskQueue.Isolation;

namespace TaskQueue.Workers;

/// <summary>Runs a <see cref="Worker"/> as a hosted service; the host's stop is the worker's quiet phase.</summary>
/// <remarks>
/// The host turns the first SIGTERM/SIGINT into a stop; this service also counts the signals itself so that
/// a second one cancels the running jobs at once instead of waiting out the grace period. When the worker
/// ends by itself (burst, max jobs), it stops the host; when it stopped for zombie jobs it throws
/// <see cref="ZombieJobsException"/>, which faults this service, so the host exits with an error.
/// </remarks>
internal sealed class WorkerService(IOptions<WorkerOptions> options, WorkerServices services, IHostApplicationLifetime lifetime) : BackgroundService
{
    private Worker? worker;
    private int signals;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (TaskQueueChild.IsChild())
        {
            // A child that ran its host instead of handing over would be a second worker, started by the first.
            throw new InvalidOperationException(
                $"This process was started by a worker as a child for isolated jobs ({TaskQueueChild.Variable} is set), but it runs a worker " +
                "instead: its Main must hand over first, with `if (TaskQueueChild.IsChild()) return await TaskQueueChild.RunAsync(host.Services);`.");
        }
        worker = new Worker(options.Value, services);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        try
        {
            await worker.RunAsync(stoppingToken);
        }
        finally
        {
            if (!stoppingToken.IsCancellationRequested) lifetime.StopApplication();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The host handles the first signal (it stops the application, which quiets the worker).
        if (Interlocked.Increment(ref signals) >= 2)
        {
            context.Cancel = true;
            worker?.RequestStop();
            worker?.RequestStop();
        }
    }
}
