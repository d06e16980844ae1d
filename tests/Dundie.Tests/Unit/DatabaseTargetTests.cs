using Dundie.Data;
using Dundie.Settings;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Dundie.Tests.Unit;

public sealed class DatabaseTargetTests
{
    private static readonly DataOptions Data = new() { Directory = Path.Combine(Path.GetTempPath(), "dundie-unit-data") };

    [Fact]
    public void Resolve_NoUri_IsSqliteInDataFolder()
    {
        var target = DatabaseTarget.Resolve(new DatabaseOptions(), Data);

        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        Assert.Equal(Path.Combine(Data.FullPath, "dundie.db"), new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void Resolve_PostgresUrl_ParsesEveryPart()
    {
        var target = DatabaseTarget.Resolve(
            new DatabaseOptions { Uri = "postgresql://dundie:p%40ss:word@db.example:6543/rewards?sslmode=require" }, Data);

        Assert.Equal(DatabaseProvider.Postgres, target.Provider);
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("rewards", builder.Database);
        Assert.Equal("dundie", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal(SslMode.Require, builder.SslMode);
    }

    [Fact]
    public void Resolve_PostgresUrlWithoutPort_Uses5432()
    {
        var target = DatabaseTarget.Resolve(new DatabaseOptions { Uri = "postgres://u@localhost/d" }, Data);

        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(target.ConnectionString).Port);
    }

    [Theory]
    [InlineData("sqlite:////tmp/dundie-unit/x.db", "/tmp/dundie-unit/x.db")]
    [InlineData("/tmp/dundie-unit/y.db", "/tmp/dundie-unit/y.db")]
    public void Resolve_SqliteForms_GiveThatFile(string uri, string path)
    {
        var target = DatabaseTarget.Resolve(new DatabaseOptions { Uri = uri }, Data);

        Assert.Equal(DatabaseProvider.Sqlite, target.Provider);
        Assert.Equal(path, new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void Resolve_SqliteUrlWithThreeSlashes_IsRelativeLikeSqlAlchemy()
    {
        var target = DatabaseTarget.Resolve(new DatabaseOptions { Uri = "sqlite:///dundie-unit-relative.db" }, Data);

        Assert.Equal(Path.GetFullPath("dundie-unit-relative.db"), new SqliteConnectionStringBuilder(target.ConnectionString).DataSource);
    }

    [Fact]
    public void Resolve_UnknownScheme_FailsWithClearMessage()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => DatabaseTarget.Resolve(new DatabaseOptions { Uri = "mysql://u@h/d" }, Data));

        Assert.Contains("DUNDIE_DB__URI", error.Message);
    }
}
