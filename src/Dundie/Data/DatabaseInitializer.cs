using Dundie.Users;
using Microsoft.EntityFrameworkCore;

namespace Dundie.Data;

/// <summary>Brings the database up to date and makes sure the <c>admin</c> user exists, before anything else starts.</summary>
/// <remarks>
/// It runs in <see cref="IHostedLifecycleService.StartingAsync"/>, which every host calls before any hosted service
/// (the web server, the worker) starts, so no request or job ever sees an old schema. Processes started side by side
/// (API and worker) are safe: EF Core takes a database lock around migrations (on SQLite, under
/// <see cref="SqliteMigrationLock"/>, which also survives a process killed mid-migration), and admin creation
/// tolerates losing the race.
/// </remarks>
public sealed partial class DatabaseInitializer(
    IServiceScopeFactory scopes, DatabaseTarget target, ILogger<DatabaseInitializer> logger) : IHostedLifecycleService
{
    /// <summary>Applies pending migrations and creates <c>admin</c> when missing.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DundieDb>();
        if (target.FilePath is { } file)
        {
            // SQLite creates the file but not its folder (the data folder, on a first run).
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await using var migrating = await SqliteMigrationLock.AcquireAsync(file, cancellationToken);
            if (await migrating.ClearStaleEfLockAsync(target.ConnectionString, cancellationToken))
            {
                Log.StaleMigrationLockCleared(logger, file);
            }
            await db.Database.MigrateAsync(cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        await scope.ServiceProvider.GetRequiredService<AdminAccount>().EnsureAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Removed the migration lock of {Database} left by a process that stopped mid-migration")]
        public static partial void StaleMigrationLockCleared(ILogger logger, string database);
    }
}
