using System.Security.Claims;
using System.Text;
using Dundie.Data;
using Dundie.Settings;
using Dundie.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Dundie.Auth;

/// <summary>Registers JWT bearer authentication and the superuser policy.</summary>
public static class AuthenticationSetup
{
    /// <summary>Adds token issuing and checking; start-up fails without a signing key of at least 32 bytes.</summary>
    public static IServiceCollection AddDundieAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<IPostConfigureOptions<SecurityOptions>, GeneratedSecretKey>();
        services.AddOptions<SecurityOptions>()
            .Validate(
                o => o.SecretKey is not null && Encoding.UTF8.GetByteCount(o.SecretKey) >= SecurityOptions.MinimumKeyBytes,
                $"DUNDIE_SECURITY__SECRET_KEY must be set to a random string of at least {SecurityOptions.MinimumKeyBytes} bytes.")
            .ValidateOnStart();
        services.AddSingleton<TokenIssuer>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer>((options, issuer) =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = issuer.ValidationParameters;
                options.Events = new JwtBearerEvents { OnTokenValidated = AdmitAccessTokensOfExistingUsers };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(DundieClaims.SuperuserPolicy, policy => policy.RequireRole(DundieClaims.SuperuserRole));
        return services;
    }

    // A refresh token must not authenticate requests, and a token outlives nothing: the user must still exist.
    // Superuser status comes from the database on each request, not from the token, so it is never stale.
    private static async Task AdmitAccessTokensOfExistingUsers(TokenValidatedContext context)
    {
        var identity = context.Principal?.Identity as ClaimsIdentity;
        if (identity?.FindFirst(DundieClaims.Scope)?.Value != TokenScopes.Access)
        {
            context.Fail("Only access tokens authenticate requests.");
            return;
        }
        var username = identity.FindFirst(DundieClaims.Subject)?.Value;
        var db = context.HttpContext.RequestServices.GetRequiredService<DundieDb>();
        var dept = await db.Users.Where(u => u.Username == username).Select(u => u.Dept)
            .SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (dept is null)
        {
            context.Fail("The token's user does not exist.");
            return;
        }
        if (dept == User.ManagementDept)
        {
            identity.AddClaim(new Claim(DundieClaims.Role, DundieClaims.SuperuserRole));
        }
    }
}
