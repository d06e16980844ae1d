using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;

namespace TaskQueue.Cli.Parsing;

/// <summary>A job's arguments on the command line, as JSON: <c>--args '[1, "two"]'</c>, <c>--kwargs '{"x": 1}'</c>.</summary>
internal static class JsonArguments
{
    public static Option<JsonElement[]?> ArgsOption() => new("--args")
    {
        Description = "Positional arguments, a JSON array, e.g. '[\"hi\", 2]'",
        HelpName = "JSON",
        CustomParser = result => Parse(result, "--args", JsonValueKind.Array, "a JSON array, e.g. '[\"hi\", 2]'") is { } array
            ? array.EnumerateArray().Select(e => e.Clone()).ToArray()
            : null,
    };

    public static Option<Dictionary<string, JsonElement>?> KwargsOption() => new("--kwargs")
    {
        Description = "Keyword arguments, a JSON object, e.g. '{\"email\": \"a@b.c\"}'",
        HelpName = "JSON",
        CustomParser = result => Parse(result, "--kwargs", JsonValueKind.Object, "a JSON object, e.g. '{\"x\": 1}'") is { } obj
            ? obj.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : null,
    };

    private static JsonElement? Parse(ArgumentResult result, string name, JsonValueKind kind, string expected)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == kind) return document.RootElement.Clone();
            result.AddError($"{name} must be {expected}, not a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        }
        catch (JsonException e)
        {
            // System.Text.Json appends "Path: ... | LineNumber: ... | BytePositionInLine: ...": noise for one short value.
            result.AddError($"{name} is not valid JSON: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.')}.");
        }
        return null;
    }
}
