using Microsoft.AspNetCore.Http;

namespace TaskQueue.Dashboard.Hosting;

/// <summary>One mounted dashboard: its options and where it is mounted, to build its links.</summary>
internal sealed class DashboardSite(string mountPath, DashboardOptions options)
{
    public DashboardOptions Options { get; } = options;

    /// <summary>The dashboard's root as the browser sees it (the app's path base, then the mount path), no trailing slash.</summary>
    public string Root(HttpContext http) => (http.Request.PathBase.Value + mountPath).TrimEnd('/');

    /// <summary>A link inside the dashboard: <paramref name="path"/> starts with '/'; every segment the caller puts in
    /// it is already escaped (<see cref="Segment"/>).</summary>
    public string Link(HttpContext http, string path) => Root(http) + path;

    /// <summary>One URL path segment: a job id or queue name as it may appear in a link.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value);
}
