using System.Globalization;
using System.Text.Json;

namespace TaskQueue.Dashboard.Rendering;

/// <summary>How times, durations and JSON read on a page.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset? instant) =>
        instant is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>A short duration: <c>42s</c>, <c>3m 5s</c>, <c>2h 1m</c>, <c>4d 3h</c>.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = -span;
        if (span < TimeSpan.FromSeconds(1)) return $"{span.TotalMilliseconds:0}ms";
        if (span < TimeSpan.FromMinutes(1)) return $"{span.TotalSeconds:0}s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes}m {span.Seconds}s";
        if (span < TimeSpan.FromDays(1)) return $"{(int)span.TotalHours}h {span.Minutes}m";
        return $"{(int)span.TotalDays}d {span.Hours}h";
    }

    /// <summary>How long ago <paramref name="instant"/> was, or "" when unknown.</summary>
    public static string Ago(DateTimeOffset? instant, DateTimeOffset now) => instant is { } t ? Duration(now - t) + " ago" : "";

    public static string Json(JsonElement element) => JsonSerializer.Serialize(element, Indented);

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
