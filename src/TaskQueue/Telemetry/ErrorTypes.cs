namespace TaskQueue.Telemetry;

/// <summary>The <c>error.type</c> of a failed job: the exception type or error name that starts its <c>exc_info</c>
/// (<c>System.InvalidOperationException</c>, <c>JobTimeoutException</c>, <c>UnknownTaskError</c>...).</summary>
/// <remarks>The attribute must stay low in cardinality, so anything that does not look like a type name is
/// <c>_OTHER</c>, as the conventions say.</remarks>
internal static class ErrorTypes
{
    private const int MaxLength = 128;

    public static string Of(string excInfo)
    {
        var end = excInfo.AsSpan().IndexOfAny(':', '\n');
        var name = end < 0 ? excInfo.AsSpan() : excInfo.AsSpan(0, end);
        if (name.IsEmpty || name.Length > MaxLength) return "_OTHER";
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '`')) return "_OTHER";
        }
        return name.ToString();
    }

    /// <summary>The first line of <paramref name="excInfo"/>, at most 256 characters: a span's status description.</summary>
    public static string FirstLine(string excInfo)
    {
        var end = excInfo.IndexOf('\n');
        var line = (end < 0 ? excInfo : excInfo[..end]).TrimEnd('\r');
        return line.Length > 256 ? line[..256] : line;
    }
}
