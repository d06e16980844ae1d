using System.Text;
using System.Text.RegularExpressions;

namespace Dundie.Users;

/// <summary>Derives usernames from names, the way the course's <c>slugify</c> does: "Michael Scott" becomes "michael-scott".</summary>
public static partial class Usernames
{
    /// <summary>The longest username.</summary>
    public const int MaxLength = 64;

    /// <summary>Turns a display name into a lower-case, URL-safe username.</summary>
    public static string FromName(string name)
    {
        var letters = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant())
        {
            letters.Append(Latin.TryGetValue(c, out var plain) ? plain : c.ToString());
        }
        var slug = NonSlug().Replace(letters.ToString(), "-").Trim('-');
        return slug.Length <= MaxLength ? slug : slug[..MaxLength].TrimEnd('-');
    }

    /// <summary>Tells whether a username is safe to put in a URL path: letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValid(string username) => username.Length <= MaxLength && Allowed().IsMatch(username);

    // The repository runs with invariant globalization, where string.Normalize cannot split accents off letters,
    // so the accented Latin letters names commonly carry are folded by this table: "José Ñúñez" -> "jose-nunez".
    private static readonly Dictionary<char, string> Latin = new[]
    {
        ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđð", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"), ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
        ("æ", "ae"), ("œ", "oe"), ("ß", "ss"), ("þ", "th"),
    }.SelectMany(group => group.Item1.Select(c => (c, group.Item2))).ToDictionary(p => p.c, p => p.Item2);

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Allowed();
}
