using Dundie.Data;
using Dundie.Hosting;
using Dundie.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dundie.Tests.Database;

/// <summary>Start-up on a SQLite database where a process died in the middle of migrating it.</summary>
public sealed class SqliteMigrationLockTests : IDisposable
{
    private readonly TempFolder folder = new();

    [Fact]
    public async Task Initialize_LockRowLeftByKilledProcess_ClearsItAndMigrates()
    {
        var file = Path.Combine(folder.Path, "dundie.db");
        // What a process SIGKILLed inside MigrateAsync leaves: EF Core's lock table and row, no migration recorded.
        await ExecuteAsync(file,
            """CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL)""",
            """INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-01-01 00:00:00+00:00')""");
        await using var services = Services(file);

        // Without the cleanup EF Core waits for the row forever; the deadline turns that into a failure (and stops the wait).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(deadline.Token).WaitAsync(deadline.Token);

        Assert.Equal(0L, await ScalarAsync(file, """SELECT count(*) FROM "__EFMigrationsLock" """));
        Assert.Equal(1L, await ScalarAsync(file, """SELECT count(*) FROM "user" WHERE "username" = 'admin'"""));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        folder.Dispose();
    }

    private static ServiceProvider Services(string file)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DB:URI"] = file,
            ["ADMIN:PASSWORD"] = "admin-lock-password",
            ["SECURITY:BCRYPT_WORK_FACTOR"] = "4",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddDundieCore();
        return services.BuildServiceProvider();
    }

    private static async Task ExecuteAsync(string file, params string[] statements)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<long> ScalarAsync(string file, string query)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
