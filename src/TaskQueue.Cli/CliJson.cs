using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using TaskQueue.Cli.Jobs;
using TaskQueue.Cli.Queues;

namespace TaskQueue.Cli;

/// <summary>The JSON taskq prints (<c>job --json</c>, <c>info --json</c>): snake_case as RQ names things, every
/// field always present so scripts can rely on the shape.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(JobReport))]
[JsonSerializable(typeof(InfoReport))]
[JsonSerializable(typeof(LimitsReport))]
[JsonSerializable(typeof(Scheduling.CronReport[]))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Indented, for one document a person may read.</summary>
    public static CliJson Indented => field ??= Create(indented: true);

    /// <summary>One line per document (JSON Lines), for streams of snapshots.</summary>
    public static CliJson Compact => field ??= Create(indented: false);

    // Built on first use: static initializers across the generated partial files run in no set order.
    private static CliJson Create(bool indented) => new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = indented,
        // Job descriptions are Python-style calls ('hi'); keep them readable rather than \u0027-escaped.
        // The output goes to a terminal or a JSON reader, never into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
