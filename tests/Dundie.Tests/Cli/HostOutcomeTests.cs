using Dundie.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dundie.Tests.Cli;

/// <summary>The exit code of <c>dundie worker</c> / <c>dundie up</c> when a background service crashes after start.</summary>
public sealed class HostOutcomeTests
{
    [Fact]
    public async Task ExitCode_ServiceThrowsAfterStart_One()
    {
        var outcome = await RunAsync<ThrowsAfterStart>();

        Assert.Equal(1, outcome.ExitCode());
    }

    [Fact]
    public async Task ExitCode_ServiceEndsCleanly_Zero()
    {
        var outcome = await RunAsync<StopsHost>();

        Assert.Equal(0, outcome.ExitCode());
    }

    private static async Task<HostOutcome> RunAsync<TService>() where TService : class, IHostedService
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService<TService>();
        using var host = builder.Build();
        var outcome = HostOutcome.Watch(host);
        // The host stops by itself: the crash stops it (StopHost, the default), or the service asks it to.
        await host.RunAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        return outcome;
    }

    private sealed class ThrowsAfterStart : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            throw new InvalidOperationException("crashed after start");
        }
    }

    private sealed class StopsHost(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Delay(50, stoppingToken);
            lifetime.StopApplication();
        }
    }
}
