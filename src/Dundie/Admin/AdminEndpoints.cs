using Dundie.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using TaskQueue.Dashboard;

namespace Dundie.Admin;

/// <summary><c>/admin/login</c>, <c>/admin/logout</c>, and the job dashboard at <c>/admin/jobs</c> for superusers.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").ExcludeFromDescription();
        admin.MapGet("/login", (HttpContext http, IAntiforgery antiforgery) => LoginPage.Render(http, antiforgery, null));
        admin.MapPost("/login", LoginAsync);
        admin.MapPost("/logout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await http.SignOutAsync(AdminSetup.CookieScheme);
            return Results.Redirect(AdminSetup.LoginPath);
        });
        routes.MapTaskQueueDashboard(AdminSetup.DashboardPath, o => o.Title = "Dundie jobs").RequireAuthorization(AdminSetup.DashboardPolicy);
        return routes;
    }

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, UserAccounts accounts, CancellationToken cancellationToken)
    {
        // Without the token another site could log a victim's browser in as the attacker (login CSRF).
        if (!await antiforgery.IsRequestValidAsync(http)) return LoginPage.Render(http, antiforgery, "The form expired: please try again.", StatusCodes.Status400BadRequest);
        var form = await http.Request.ReadFormAsync(cancellationToken);
        var (username, password) = (form["username"].ToString(), form["password"].ToString());
        var user = username.Length == 0 || password.Length == 0 ? null : await accounts.AuthenticateAsync(username, password, cancellationToken);
        if (user is null) return LoginPage.Render(http, antiforgery, "Incorrect username or password.", StatusCodes.Status401Unauthorized);
        await http.SignInAsync(AdminSetup.CookieScheme, AdminSetup.PrincipalOf(user));
        // Always to the dashboard: a return address taken from the request could send the user anywhere.
        return Results.Redirect(AdminSetup.DashboardPath + "/");
    }
}
