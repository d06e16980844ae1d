using Microsoft.EntityFrameworkCore;

namespace Dundie.Data;

/// <summary>The Dundie database on PostgreSQL, with its own migrations (<c>Data/Migrations/Postgres</c>).</summary>
public sealed class PostgresDundieDb(DbContextOptions<PostgresDundieDb> options) : DundieDb(options);
