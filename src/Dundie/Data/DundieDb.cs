using System.Text.Json;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.EntityFrameworkCore;

namespace Dundie.Data;

/// <summary>The Dundie database: users, transactions, balances and password-reset tokens.</summary>
/// <remarks>
/// Each provider has a subclass (<see cref="SqliteDundieDb"/>, <see cref="PostgresDundieDb"/>) because EF Core keeps
/// one migration set per context type and the two engines need different SQL. Code uses this base type.
/// Tables and columns are snake_case, as in the course's schema.
/// </remarks>
public abstract class DundieDb(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Transaction> Transactions => Set<Transaction>();

    public DbSet<Balance> Balances => Set<Balance>();

    public DbSet<PasswordResetToken> PasswordResetTokens => Set<PasswordResetToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("user");
            user.HasIndex(u => u.Email).IsUnique();
            user.HasIndex(u => u.Username).IsUnique();
            user.Property(u => u.Email).HasMaxLength(254);
            user.Property(u => u.Username).HasMaxLength(64);
            user.Property(u => u.Name).HasMaxLength(100);
            user.Property(u => u.Dept).HasMaxLength(50);
            user.Property(u => u.Avatar).HasMaxLength(500);
            user.Property(u => u.Bio).HasMaxLength(1000);
            user.Property(u => u.Currency).HasMaxLength(3);
            user.Property(u => u.PasswordHash).HasMaxLength(100);
            user.Ignore(u => u.IsSuperuser);
            user.HasOne(u => u.Balance).WithOne(b => b.User).HasForeignKey<Balance>(b => b.UserId);
        });
        modelBuilder.Entity<Transaction>(transaction =>
        {
            transaction.ToTable("transaction");
            transaction.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Restrict);
            transaction.HasOne(t => t.From).WithMany().HasForeignKey(t => t.FromId).OnDelete(DeleteBehavior.Restrict);
            transaction.HasIndex(t => t.Date);
        });
        modelBuilder.Entity<Balance>(balance =>
        {
            balance.ToTable("balance");
            balance.HasKey(b => b.UserId);
        });
        modelBuilder.Entity<PasswordResetToken>(token =>
        {
            token.ToTable("password_reset_token");
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            }
        }
    }
}
