namespace Dundie.Email;

/// <summary>A plain-text e-mail to one recipient.</summary>
public sealed record EmailMessage(string To, string Subject, string Body)
{
    /// <summary>The subject of a message whose text names none.</summary>
    public const string DefaultSubject = "A message from Dundie";

    /// <summary>Reads a message written the course's way: optional header lines (<c>Subject: ...</c>), a blank line, the body.</summary>
    /// <remarks>
    /// The course hands such text straight to SMTP, so producers (including Python ones sharing the queue) put the
    /// subject in it. Only the subject is taken from the headers: sender and recipient come from settings and arguments.
    /// </remarks>
    public static EmailMessage FromText(string to, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var start = 0;
        while (start < lines.Length && lines[start].Trim().Length == 0)
        {
            start++;
        }
        var end = start;
        string? subject = null;
        while (end < lines.Length && lines[end].Trim() is { Length: > 0 } header && IsHeader(header))
        {
            if (header.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))
            {
                subject = header["Subject:".Length..].Trim();
            }
            end++;
        }
        var hasHeaderBlock = end > start && (end == lines.Length || lines[end].Trim().Length == 0);
        return hasHeaderBlock
            ? new(to, subject ?? DefaultSubject, string.Join('\n', lines[end..]).Trim())
            : new(to, DefaultSubject, text.Trim());
    }

    private static bool IsHeader(string line)
    {
        var colon = line.IndexOf(':');
        return colon > 0 && line[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }
}
