namespace TaskQueue.Faults.Tests.Support;

/// <summary>What a process printed, cut to what a failure message can show.</summary>
public static class OutputText
{
    /// <summary>The last <paramref name="length"/> characters, marked as cut when they are not all.</summary>
    public static string Tail(this string text, int length = 4000) => text.Length <= length ? text : "..." + text[^length..];
}
