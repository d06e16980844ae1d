using Dundie.Data;
using Dundie.Email;
using Dundie.Settings;
using Dundie.Transactions;
using Dundie.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dundie.Hosting;

/// <summary>The services every Dundie process needs (API, worker, admin commands): settings, database, users, points, e-mail.</summary>
public static class CoreServices
{
    public static IServiceCollection AddDundieCore(this IServiceCollection services)
    {
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section);
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section);
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => DatabaseTarget.Resolve(
            sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, sp.GetRequiredService<IOptions<DataOptions>>().Value));
        services.AddDbContext<SqliteDundieDb>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<DatabaseTarget>().ConnectionString));
        services.AddDbContext<PostgresDundieDb>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<DatabaseTarget>().ConnectionString));
        services.AddScoped<DundieDb>(sp => sp.GetRequiredService<DatabaseTarget>().Provider switch
        {
            DatabaseProvider.Postgres => sp.GetRequiredService<PostgresDundieDb>(),
            _ => sp.GetRequiredService<SqliteDundieDb>(),
        });
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer>());

        services.AddSingleton<PasswordHasher>();
        services.AddScoped<UserAccounts>();
        services.AddScoped<AdminAccount>();
        services.AddScoped<PasswordResetTokens>();
        services.AddScoped<Transfers>();
        services.AddScoped<TransactionHistory>();

        services.AddSingleton<EmailLogSender>();
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.DebugMode
            ? sp.GetRequiredService<EmailLogSender>()
            : sp.GetRequiredService<SmtpEmailSender>());
        return services;
    }
}
