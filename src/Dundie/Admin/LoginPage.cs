using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Dundie.Admin;

/// <summary>The admin login form: plain HTML, no script, under a strict Content-Security-Policy.</summary>
internal static class LoginPage
{
    public static IResult Render(HttpContext http, IAntiforgery antiforgery, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var message = error is null ? "" : $"<p role=\"alert\">{e.Encode(error)}</p>";
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Dundie admin: log in</title></head>
            <body><h1>Dundie admin</h1>{message}
            <form method="post" action="{AdminSetup.LoginPath}">
            <input type="hidden" name="{e.Encode(tokens.FormFieldName)}" value="{e.Encode(tokens.RequestToken!)}">
            <p><label>Username <input name="username" autocomplete="username" required></label></p>
            <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
            <p><button type="submit">Log in</button></p></form></body></html>
            """;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
