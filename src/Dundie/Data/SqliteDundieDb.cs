using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Dundie.Data;

/// <summary>The Dundie database on SQLite, with its own migrations (<c>Data/Migrations/Sqlite</c>).</summary>
public sealed class SqliteDundieDb(DbContextOptions<SqliteDundieDb> options) : DundieDb(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite stores instants as text without a zone; everything Dundie writes is UTC, so say so when reading.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        value => value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
