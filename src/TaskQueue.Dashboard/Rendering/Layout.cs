using System.Globalization;

namespace TaskQueue.Dashboard.Rendering;

/// <summary>The page shell: head with the embedded stylesheet and script, navigation, search box, notice.</summary>
internal static class Layout
{
    private static readonly (string Path, string Label)[] Sections =
        [("/", "Overview"), ("/scheduled", "Scheduled & cron"), ("/workers", "Workers"), ("/search", "Search")];

    /// <summary>Done-codes that actions redirect with (<c>?done=</c>), and what the page then says: fixed texts, so a
    /// link cannot make the dashboard show words of someone else's choosing.</summary>
    private static readonly Dictionary<string, string> Notices = new(StringComparer.Ordinal)
    {
        ["requeued"] = "The job is queued again.",
        ["canceled"] = "The job is canceled.",
        ["stopping"] = "Its worker was asked to stop the job.",
        ["deleted"] = "The job is deleted.",
        ["emptied"] = "The queue is emptied.",
        ["paused"] = "Paused.",
        ["resumed"] = "Resumed.",
        ["triggered"] = "The job is enqueued.",
        ["not-changed"] = "Nothing changed: the job is no longer in a state that allows it.",
    };

    public static string Render(PageContext page, string title, string section, Html body)
    {
        var site = page.Site;
        var html = new Html();
        var poll = ((long)site.Options.PollInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        html.Add($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        // An empty icon: otherwise the browser asks the host's root for /favicon.ico, which may not exist.
        html.Add($"<link rel=\"icon\" href=\"data:,\"><title>{title} · {site.Options.Title}</title>");
        html.Add($"<link rel=\"stylesheet\" href=\"{page.Link("/assets/dashboard.css")}\">");
        html.Add($"<script src=\"{page.Link("/assets/dashboard.js")}\" defer></script></head>");
        html.Add($"<body data-root=\"{page.Link("")}\" data-poll=\"{poll}\"><header><a class=\"brand\" href=\"{page.Link("/")}\">{site.Options.Title}</a><nav>");
        foreach (var (path, label) in Sections)
        {
            html.Add($"<a href=\"{page.Link(path)}\" class=\"{(path == section ? "active" : "")}\">{label}</a>");
        }
        html.Add($"</nav><form class=\"search\" method=\"get\" action=\"{page.Link("/search")}\"><input type=\"search\" name=\"q\" placeholder=\"Job id, task or argument\" aria-label=\"Search jobs\"><button type=\"submit\">Search</button></form>");
        if (site.Options.ReadOnly) html.Add($"<span class=\"badge\">read-only</span>");
        html.Add($"</header><main>");
        if (page.Http.Request.Query["done"].ToString() is { Length: > 0 } done && Notices.TryGetValue(done, out var notice))
        {
            html.Add($"<p class=\"notice\" role=\"status\">{notice}</p>");
        }
        html.Add($"{body.ToFragment()}</main></body></html>");
        return html.ToString();
    }
}
