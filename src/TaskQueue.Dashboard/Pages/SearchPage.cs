using TaskQueue.Dashboard.Rendering;
using TaskQueue.Monitoring;

namespace TaskQueue.Dashboard.Pages;

/// <summary><c>/search?q=TEXT</c>: jobs whose id, task name or arguments contain the text; "more" goes on from the
/// cursor where the time budget stopped the scan.</summary>
internal static class SearchPage
{
    public static string Render(PageContext page, string? query, SearchResult? result, string? error)
    {
        var html = new Html();
        html.Add($"<h1>Search</h1><form class=\"search-page\" method=\"get\" action=\"{page.Link("/search")}\">");
        html.Add($"<input type=\"search\" name=\"q\" value=\"{query}\" placeholder=\"Job id, task name or argument text\" aria-label=\"Search text\" autofocus>");
        html.Add($"<button type=\"submit\">Search</button></form>");
        html.Add($"<p class=\"hint\">Matches the job id, RQ's call string (task and arguments) and plain-JSON arguments, ignoring ASCII case.</p>");
        if (error is not null) html.Add($"<p class=\"error\" role=\"alert\">{error}</p>");
        if (result is null) return Layout.Render(page, "Search", "/search", html);

        html.Add($"<p class=\"summary\" id=\"search-summary\">{result.Jobs.Count} job(s) found among {result.Scanned} key(s) looked at in {Format.Duration(result.Elapsed)}");
        html.Add($"{(result.NextCursor is null ? Html.Fragment("; the search is complete.") : Html.Fragment("; there may be more."))}</p>");
        JobTable.Render(html, page, result.Jobs, null, showQueue: true);
        if (result.NextCursor is { } cursor)
        {
            html.Add($"<p class=\"pager\"><a rel=\"next\" href=\"{page.Link("/search?q=" + Uri.EscapeDataString(result.Query) + "&cursor=" + cursor)}\">Search on</a></p>");
        }
        return Layout.Render(page, "Search", "/search", html);
    }
}
