using Dundie.Data;
using Dundie.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Dundie.Cli;

/// <summary>The services of a one-shot admin command (<c>create-user</c>, <c>user-list</c>...), with the database ready.</summary>
internal static class AdminHost
{
    /// <summary>Builds the services, applies migrations and makes sure <c>admin</c> exists.</summary>
    public static async Task<IHost> StartAsync(
        Action<HostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddDundieSources();
        // The command's own output is the point; only problems are logged.
        builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        builder.Services.AddDundieCore();
        configure?.Invoke(builder);
        var host = builder.Build();
        await host.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync(cancellationToken);
        return host;
    }
}
