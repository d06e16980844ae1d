using System.Globalization;

namespace TaskQueue.Faults.Tests.Support;

/// <summary>The figures a test measured, one line each, for README's "Guarantees": written to the test's output and
/// appended to one file per run (<c>TASKQUEUE_FAULTS_FIGURES</c>, else <c>figures.txt</c> beside the test assembly),
/// which .ci/run prints at the end.</summary>
public static class Figures
{
    public const string Variable = "TASKQUEUE_FAULTS_FIGURES";

    private static readonly Lock Writing = new();

    /// <summary>Where the lines go.</summary>
    public static string FilePath { get; } =
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : Path.Combine(AppContext.BaseDirectory, "figures.txt");

    /// <summary>Writes <c>[scale] test: figures</c>; seconds as <c>1.23 s</c>.</summary>
    public static void Report(string test, string figures)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{FaultScale.Name}] {test}: {figures}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (Writing) File.AppendAllText(FilePath, line + Environment.NewLine);
    }

    /// <summary>Seconds with two decimals, as the figures print them.</summary>
    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
}
