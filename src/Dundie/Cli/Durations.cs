using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Dundie.Cli;

/// <summary>Duration options written as <c>250ms</c>, <c>5s</c>, <c>2m</c>, <c>1h</c>, plain seconds or <c>hh:mm:ss</c>.</summary>
/// <remarks>The same forms as <c>taskq worker --heartbeat</c>, so one value works with both commands.</remarks>
internal static partial class Durations
{
    /// <summary>An optional duration option that refuses values below <paramref name="minimum"/>.</summary>
    public static Option<TimeSpan?> Option(string name, string description, TimeSpan minimum)
    {
        var option = new Option<TimeSpan?>(name)
        {
            Description = description,
            HelpName = "DURATION",
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
                if (TryParse(text, out var value) && value >= minimum)
                {
                    return value;
                }
                result.AddError($"{name} must be a duration of at least {minimum.TotalMilliseconds:0} ms (e.g. 500ms, 5s), not '{text}'.");
                return null;
            },
        };
        return option;
    }

    /// <summary>Reads a duration; false when the text is none of the accepted forms.</summary>
    public static bool TryParse(string text, out TimeSpan value)
    {
        if (Suffixed().Match(text.Trim()) is { Success: true } match)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            value = match.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(number),
                "m" => TimeSpan.FromMinutes(number),
                "h" => TimeSpan.FromHours(number),
                _ => TimeSpan.FromSeconds(number),
            };
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")]
    private static partial Regex Suffixed();
}
