using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace TaskQueue.Cli.Dashboard;

/// <summary>HTTP basic authentication with one password (any user name), as <c>rq-dashboard</c> offers it.</summary>
/// <remarks>The password is compared as a SHA-256 digest in fixed time, so neither its length nor its prefix leaks
/// through response times; it is never logged or printed.</remarks>
internal sealed class BasicAuth(string password)
{
    private const string Challenge = "Basic realm=\"taskq dashboard\", charset=\"UTF-8\"";

    private readonly byte[] expected = SHA256.HashData(Encoding.UTF8.GetBytes(password));

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (Admits(http.Request.Headers.Authorization.ToString()))
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = Challenge;
    }

    private bool Admits(string header)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value) || !"Basic".Equals(value.Scheme, StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = decoded.IndexOf(':');
        if (colon < 0) return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(decoded[(colon + 1)..]));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
