using Dundie.Api;
using Dundie.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dundie.Auth;

/// <summary><c>POST /token</c> and <c>POST /refresh_token</c>.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("auth").AddEndpointFilter<ValidationFilter>();
        // An OAuth2 password grant from API clients, not a browser form: no antiforgery token to check.
        group.MapPost("/token", Login).DisableAntiforgery()
            .WithSummary("Exchange a username and password for an access and a refresh token");
        group.MapPost("/refresh_token", Refresh)
            .WithSummary("Exchange a refresh token for a new pair of tokens");
        return routes;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Login(
        [FromForm] LoginForm form, UserAccounts accounts, TokenIssuer issuer, HttpContext http, CancellationToken cancellationToken)
    {
        var user = await accounts.AuthenticateAsync(form.Username!, form.Password!, cancellationToken);
        if (user is null)
        {
            return Unauthorized(http, "Incorrect username or password");
        }
        return TypedResults.Ok(issuer.Issue(user.Username));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Refresh(
        RefreshTokenRequest request, UserAccounts accounts, TokenIssuer issuer, HttpContext http, CancellationToken cancellationToken)
    {
        var username = await issuer.ReadRefreshTokenAsync(request.RefreshToken!);
        if (username is null || await accounts.FindAsync(username, cancellationToken) is null)
        {
            return Unauthorized(http, "Could not validate credentials");
        }
        return TypedResults.Ok(issuer.Issue(username));
    }

    private static ProblemHttpResult Unauthorized(HttpContext http, string detail)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Status(StatusCodes.Status401Unauthorized, detail);
    }

    /// <summary>The OAuth2 password-grant form fields.</summary>
    /// <remarks>A class with setters, not a record: form binding demands every constructor parameter be present.</remarks>
    public sealed class LoginForm : IValidatable
    {
        public string? Username { get; set; }

        public string? Password { get; set; }

        public void Validate(FieldErrors errors)
        {
            errors.Require("username", Username);
            errors.Require("password", Password);
        }
    }
}
