using System.Security.Claims;
using Dundie.Auth;
using Dundie.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using TaskQueue.Dashboard;

namespace Dundie.Admin;

/// <summary>The browser side of Dundie's admin area: a login cookie, and the policy that admits superusers to the
/// job dashboard at <c>/admin/jobs</c>.</summary>
/// <remarks>
/// The API authenticates with JWT bearer tokens, which a browser cannot send on its own; the dashboard is a browser
/// UI, so an admin logs in once at <c>/admin/login</c> and gets an HttpOnly, SameSite=Strict cookie scoped to
/// <c>/admin</c>. The cookie is checked only by the dashboard's policy (the API ignores it), so it cannot be used to
/// call the API cross-site, and SameSite=Strict plus the dashboard's antiforgery tokens keep other sites from
/// acting through it. Superuser status is read from the database on each request, as for bearer tokens.
/// </remarks>
public static class AdminSetup
{
    public const string CookieScheme = "DundieAdmin";
    public const string DashboardPolicy = "dundie-admin-dashboard";
    public const string LoginPath = "/admin/login";
    public const string DashboardPath = "/admin/jobs";

    public static IServiceCollection AddDundieAdmin(this IServiceCollection services)
    {
        services.AddTaskQueueDashboard();
        services.AddAuthentication().AddCookie(CookieScheme, options =>
        {
            options.Cookie.Name = "dundie_admin";
            options.Cookie.Path = "/admin";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = LoginPath;
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = RejectStaleUsers,
                // A signed-in user who is not a superuser is refused, not sent to log in again.
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
                // Scripts calling the dashboard's JSON get a status, browsers get the login page.
                OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments(DashboardPath + "/api")) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                },
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(DashboardPolicy, policy => policy
            .AddAuthenticationSchemes(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireRole(DundieClaims.SuperuserRole));
        return services;
    }

    /// <summary>The identity the cookie carries for <paramref name="user"/>.</summary>
    public static ClaimsPrincipal PrincipalOf(User user)
    {
        var claims = new List<Claim> { new(DundieClaims.Subject, user.Username) };
        if (user.IsSuperuser) claims.Add(new Claim(DundieClaims.Role, DundieClaims.SuperuserRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme, DundieClaims.Subject, DundieClaims.Role));
    }

    // A deleted user, or one whose dept changed since login, must log in again: the role in the cookie is only as
    // good as the database says it is now.
    private static async Task RejectStaleUsers(CookieValidatePrincipalContext context)
    {
        var username = context.Principal?.FindFirst(DundieClaims.Subject)?.Value;
        var user = username is null ? null : await context.HttpContext.RequestServices.GetRequiredService<UserAccounts>()
            .FindAsync(username, context.HttpContext.RequestAborted);
        if (user is null || user.IsSuperuser != context.Principal!.IsInRole(DundieClaims.SuperuserRole))
        {
            context.RejectPrincipal();
        }
    }
}
