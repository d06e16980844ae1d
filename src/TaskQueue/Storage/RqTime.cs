using System.Globalization;

namespace TaskQueue.Storage;

/// <summary>Instants in the two encodings RQ uses: ISO-8601 text in job hashes, epoch seconds as scores.</summary>
public static class RqTime
{
    /// <summary>Formats an instant in RQ's format to the millisecond, e.g. <c>2026-11-28T12:48:36.343Z</c>.</summary>
    /// <remarks>
    /// RQ writes microseconds (<c>%Y-%m-%dT%H:%M:%S.%fZ</c>) and parses with the same pattern, whose <c>%f</c>
    /// accepts one to six digits, so RQ 1.x reads milliseconds exactly. Three digits fewer per timestamp put a
    /// finished job's hash (four timestamps) in a smaller allocation class: ~32 bytes less Redis memory per job.
    /// </remarks>
    public static string ToIso(DateTimeOffset instant) => string.Create(24, instant.UtcDateTime, static (span, t) =>
    {
        Digits(span[..4], t.Year);
        span[4] = '-';
        Digits(span.Slice(5, 2), t.Month);
        span[7] = '-';
        Digits(span.Slice(8, 2), t.Day);
        span[10] = 'T';
        Digits(span.Slice(11, 2), t.Hour);
        span[13] = ':';
        Digits(span.Slice(14, 2), t.Minute);
        span[16] = ':';
        Digits(span.Slice(17, 2), t.Second);
        span[19] = '.';
        Digits(span.Slice(20, 3), t.Millisecond);
        span[23] = 'Z';
    });

    private static void Digits(Span<char> span, int value)
    {
        for (var i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

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

    /// <summary>Whole epoch seconds, rounded down, as RQ scores its registries (<c>current_timestamp() + ttl</c>).</summary>
    public static long ToWholeScore(DateTimeOffset instant) => instant.ToUnixTimeSeconds();

    /// <summary>Whole epoch seconds rounded up: a lease or deadline scored in RQ's whole seconds never ends early.</summary>
    public static long ToWholeScoreCeiling(DateTimeOffset instant) => (long)Math.Ceiling(ToScore(instant));

    /// <summary>A score back to an instant.</summary>
    public static DateTimeOffset FromScore(double score) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)Math.Round(score * TimeSpan.TicksPerSecond));

    /// <summary>A score as Lua reads it back: invariant, round-trippable.</summary>
    public static string ScoreText(double score) => score.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Whole seconds, as RQ stores TTLs and timeouts.</summary>
    public static long Seconds(TimeSpan span) => (long)Math.Ceiling(span.TotalSeconds);
}
