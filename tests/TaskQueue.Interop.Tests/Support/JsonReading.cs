using System.Text.Json;

namespace TaskQueue.Interop.Tests.Support;

/// <summary>Short reads of the JSON the Python scripts and <c>taskq --json</c> print.</summary>
public static class JsonReading
{
    public static string? Str(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static string[] Strings(this JsonElement element, string name) =>
        element.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static bool IsNull(this JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null;

    /// <summary>The element as compact JSON, for comparing whole values.</summary>
    public static string Compact(this JsonElement element) => JsonSerializer.Serialize(element);
}
