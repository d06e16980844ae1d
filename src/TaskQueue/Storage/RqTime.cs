using System.Globalization;

namespace TaskQueue.Storage;

/// <summary>Instants in the two encodings RQ uses: ISO-8601 text in job hashes, epoch seconds as scores.</summary>
public static class RqTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    /// <summary>Formats an instant as RQ writes it, e.g. <c>2026-11-28T12:48:36.343946Z</c>.</summary>
    public static string ToIso(DateTimeOffset instant) => instant.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Parses a job-hash timestamp; empty or malformed text is "unset".</summary>
    public static DateTimeOffset? ParseIso(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value) ? value : null;
    }

    /// <summary>Epoch seconds with sub-millisecond precision, as a sorted-set score.</summary>
    public static double ToScore(DateTimeOffset instant) =>
        (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    /// <summary>A score back to an instant.</summary>
    public static DateTimeOffset FromScore(double score) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(score * TimeSpan.TicksPerSecond));

    /// <summary>A score as Lua reads it back: invariant, round-trippable.</summary>
    public static string ScoreText(double score) => score.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Whole seconds, as RQ stores TTLs and timeouts.</summary>
    public static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);
}
