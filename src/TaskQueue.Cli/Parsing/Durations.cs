using System.CommandLine;
using System.Globalization;

namespace TaskQueue.Cli.Parsing;

/// <summary>Durations on the command line: <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>2d</c>, or plain
/// seconds (<c>30</c>, <c>0.5</c>); where allowed, <c>-1</c> means forever.</summary>
internal static class Durations
{
    public const string Help = "250ms, 30s, 5m, 1h, 2d or plain seconds";

    /// <summary>Parses <paramref name="text"/>; <see cref="Timeout.InfiniteTimeSpan"/> for <c>-1</c> when <paramref name="allowForever"/>.</summary>
    public static bool TryParse(string text, bool allowForever, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        if (allowForever && text == "-1")
        {
            value = Timeout.InfiniteTimeSpan;
            return true;
        }
        var (number, unit) = Split(text);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
        double? seconds = unit switch
        {
            "ms" => amount / 1000,
            "" or "s" => amount,
            "m" => amount * 60,
            "h" => amount * 3600,
            "d" => amount * 86400,
            _ => null,
        };
        if (seconds is not { } s || double.IsInfinity(s) || s > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        value = TimeSpan.FromSeconds(s);
        return true;
    }

    /// <summary>An option holding a duration; absent gives null.</summary>
    public static Option<TimeSpan?> Option(string name, string description, bool allowForever = false, TimeSpan? minimum = null) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (!TryParse(text, allowForever, out var value))
            {
                result.AddError($"{name}: '{text}' is not a duration (use {Help}{(allowForever ? ", or -1 for forever" : "")}).");
            }
            else if (value < minimum && value != Timeout.InfiniteTimeSpan)
            {
                result.AddError($"{name}: must be at least {Format(minimum.Value)}, not '{text}'.");
            }
            else
            {
                return value;
            }
            return null;
        },
    };

    /// <summary>A duration as people write it: 250ms, 30s, 1.5m.</summary>
    public static string Format(TimeSpan value) => value switch
    {
        _ when value == Timeout.InfiniteTimeSpan => "forever",
        { TotalSeconds: < 1 } => $"{value.TotalMilliseconds:0.###}ms",
        { TotalMinutes: < 1 } => $"{value.TotalSeconds:0.###}s",
        { TotalHours: < 1 } => $"{value.TotalMinutes:0.###}m",
        _ => $"{value.TotalHours:0.###}h",
    };

    private static (string Number, string Unit) Split(string text)
    {
        var end = text.Length;
        while (end > 0 && char.IsAsciiLetter(text[end - 1])) end--;
        return (text[..end], text[end..].ToLowerInvariant());
    }
}
