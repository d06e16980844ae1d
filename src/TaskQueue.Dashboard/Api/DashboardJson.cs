using System.Text.Json;
using System.Text.Json.Serialization;

namespace TaskQueue.Dashboard.Api;

/// <summary>The JSON shape of <c>api/</c>: snake_case names and lowercase enum values, as RQ names things, whatever the
/// host's own JSON settings.</summary>
internal static class DashboardJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
