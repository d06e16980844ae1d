using System.Security.Claims;

namespace Dundie.Auth;

/// <summary>The claims Dundie reads from an authenticated request.</summary>
public static class DundieClaims
{
    public const string Subject = "sub";
    public const string Scope = "scope";
    public const string Role = "role";

    /// <summary>The role added to a request whose user is in dept <c>management</c>.</summary>
    public const string SuperuserRole = "superuser";

    /// <summary>The authorization policy that admits superusers only.</summary>
    public const string SuperuserPolicy = "superuser";

    /// <summary>The authenticated user's username, or null for an anonymous request.</summary>
    public static string? Username(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated == true ? principal.FindFirstValue(Subject) : null;

    /// <summary>Whether the authenticated user is a superuser.</summary>
    public static bool IsSuperuser(this ClaimsPrincipal principal) => principal.IsInRole(SuperuserRole);
}
