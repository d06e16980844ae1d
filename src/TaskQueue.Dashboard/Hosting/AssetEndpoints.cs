using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>Serves the embedded stylesheet and script (<c>assets/dashboard.css</c>, <c>assets/dashboard.js</c>): no CDN,
/// nothing fetched from elsewhere, so the dashboard works offline and under a strict Content-Security-Policy.</summary>
internal static class AssetEndpoints
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType, string ETag)> Assets = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = Load("dashboard.css", "text/css; charset=utf-8"),
        ["dashboard.js"] = Load("dashboard.js", "text/javascript; charset=utf-8"),
    };

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/assets/{file}", (string file, HttpContext http) =>
        {
            if (!Assets.TryGetValue(file, out var asset)) return Results.NotFound();
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers.ETag = asset.ETag;
            if (http.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(asset.Bytes, asset.ContentType);
        });

    private static (byte[], string, string) Load(string name, string contentType)
    {
        using var stream = typeof(AssetEndpoints).Assembly.GetManifestResourceStream("TaskQueue.Dashboard.Assets." + name)
            ?? throw new InvalidOperationException($"No embedded asset '{name}'.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        return (bytes, contentType, "\"" + Convert.ToHexString(SHA256.HashData(bytes))[..16] + "\"");
    }
}
