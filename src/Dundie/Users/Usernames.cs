using System.Globalization;
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
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var letters = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            // Drop the accents FormD split off the letters: "José" -> "Jose".
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                letters.Append(char.ToLowerInvariant(c));
            }
        }
        var slug = NonSlug().Replace(letters.ToString(), "-").Trim('-');
        return slug.Length <= MaxLength ? slug : slug[..MaxLength].TrimEnd('-');
    }

    /// <summary>Tells whether a username is safe to put in a URL path: letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValid(string username) => username.Length <= MaxLength && Allowed().IsMatch(username);

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex Allowed();
}
