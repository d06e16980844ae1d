using Npgsql;

namespace Dundie.Tests.Infrastructure;

/// <summary>A database of its own for one test class: a SQLite file, or a fresh PostgreSQL database when
/// <c>DUNDIE_TEST_DB_URI</c> names a server (e.g. <c>postgresql://postgres@127.0.0.1:5433/dundie_test</c>).</summary>
/// <remarks>Giving each class its own database lets classes run in parallel without seeing each other's rows.</remarks>
public sealed class TestDatabase : IDisposable
{
    /// <summary>The variable that switches the suite to PostgreSQL.</summary>
    public const string ServerVariable = "DUNDIE_TEST_DB_URI";

    private readonly string? adminConnectionString;
    private readonly string? databaseName;

    public TestDatabase(string folder)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Uri = Path.Combine(folder, "dundie.db");
            return;
        }
        var serverUri = new UriBuilder(server);
        databaseName = $"dundie_test_{Guid.NewGuid():N}"[..32];
        adminConnectionString = Dundie.Data.DatabaseTarget.Resolve(
            new Settings.DatabaseOptions { Uri = server }, new Settings.DataOptions()).ConnectionString;
        using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            create.ExecuteNonQuery();
        }
        serverUri.Path = "/" + databaseName;
        Uri = serverUri.Uri.ToString();
    }

    /// <summary>The value for <c>DUNDIE_DB__URI</c>.</summary>
    public string Uri { get; }

    /// <summary>True when the suite runs against PostgreSQL.</summary>
    public bool IsPostgres => databaseName is not null;

    public void Dispose()
    {
        if (databaseName is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(adminConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }
}
