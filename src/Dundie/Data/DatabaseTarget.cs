using Dundie.Settings;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dundie.Data;

/// <summary>The database engines Dundie runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>A SQLite file: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server.</summary>
    Postgres,
}

/// <summary>Which database to use and how to connect to it, resolved from <c>DUNDIE_DB__URI</c>.</summary>
/// <param name="Provider">The engine.</param>
/// <param name="ConnectionString">The ADO.NET connection string.</param>
/// <param name="FilePath">The database file, for SQLite; null for a server.</param>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString, string? FilePath = null)
{
    /// <summary>The file name of the embedded database in the data folder.</summary>
    public const string EmbeddedFileName = "dundie.db";

    /// <summary>Resolves the settings into a provider and an ADO.NET connection string.</summary>
    /// <exception cref="InvalidOperationException">The URI names a scheme Dundie does not support or cannot be parsed.</exception>
    public static DatabaseTarget Resolve(DatabaseOptions database, DataOptions data)
    {
        var uri = database.Uri?.Trim();
        if (string.IsNullOrEmpty(uri))
        {
            return Sqlite(Path.Combine(data.FullPath, EmbeddedFileName));
        }
        if (uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, PostgresConnectionString(uri));
        }
        if (uri.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(uri["sqlite:///".Length..]);
        }
        if (uri.Contains("://", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "DUNDIE_DB__URI must be a postgresql:// URL, a sqlite:/// URL or a SQLite file path.");
        }
        return Sqlite(uri);
    }

    private static DatabaseTarget Sqlite(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true };
        return new(DatabaseProvider.Sqlite, builder.ConnectionString, fullPath);
    }

    private static string PostgresConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new InvalidOperationException("DUNDIE_DB__URI is not a valid postgresql://user:pass@host:port/db URL.");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(userInfo[0]);
        }
        if (userInfo.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(userInfo[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            // Keywords such as sslmode pass through to Npgsql, which rejects the ones it does not know.
            builder[Uri.UnescapeDataString(parts[0])] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : "";
        }
        return builder.ConnectionString;
    }
}
