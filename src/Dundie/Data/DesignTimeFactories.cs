using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Dundie.Data;

/// <summary>Lets <c>dotnet ef migrations add ... --context SqliteDundieDb</c> build the context without a host.</summary>
internal sealed class SqliteDundieDbDesignFactory : IDesignTimeDbContextFactory<SqliteDundieDb>
{
    public SqliteDundieDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDundieDb>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add ... --context PostgresDundieDb</c> build the context without a server.</summary>
internal sealed class PostgresDundieDbDesignFactory : IDesignTimeDbContextFactory<PostgresDundieDb>
{
    public PostgresDundieDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDundieDb>().UseNpgsql("Host=localhost;Database=dundie").Options);
}
