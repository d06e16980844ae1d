using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TaskQueue.Dashboard.Hosting;

namespace TaskQueue.Dashboard.Rendering;

/// <summary>What a page needs to render: the request, the mounted dashboard, the time, and the antiforgery token its
/// action forms carry.</summary>
internal sealed class PageContext(HttpContext http, DashboardSite site)
{
    private AntiforgeryTokenSet? tokens;

    public HttpContext Http { get; } = http;

    public DashboardSite Site { get; } = site;

    public DateTimeOffset Now { get; } = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    public bool ReadOnly => Site.Options.ReadOnly;

    public string Link(string path) => Site.Link(Http, path);

    /// <summary>A form that POSTs to <paramref name="action"/> with the antiforgery token: one button. Nothing in
    /// read-only mode. <paramref name="confirm"/> asks the user first (dashboard.js).</summary>
    public Html.HtmlFragment ActionButton(string action, string label, string? confirm = null, bool danger = false)
    {
        if (ReadOnly) return new Html().ToFragment();
        tokens ??= Http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(Http);
        var html = new Html();
        html.Add($"<form method=\"post\" class=\"action\" action=\"{Link(action)}\"");
        if (confirm is not null) html.Add($" data-confirm=\"{confirm}\"");
        html.Add($"><input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
        html.Add($"<button type=\"submit\" class=\"{(danger ? "danger" : "")}\">{label}</button></form>");
        return html.ToFragment();
    }
}
