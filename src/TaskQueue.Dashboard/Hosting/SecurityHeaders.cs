using Microsoft.AspNetCore.Http;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>The headers every dashboard response carries.</summary>
/// <remarks>
/// The Content-Security-Policy admits scripts and styles only from the dashboard's own embedded assets (no inline
/// script, no inline style, nothing from another origin), so even markup that slipped past encoding could not run.
/// Forms post only to the dashboard itself, and no other site may frame it (clickjacking on the action buttons).
/// </remarks>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        if (!context.HttpContext.Request.Path.Value!.Contains("/assets/", StringComparison.Ordinal)) headers.CacheControl = "no-store";
        return await next(context);
    }
}
