using System.Text.Json;

namespace TaskQueue.Jobs;

/// <summary>A decoded job payload: the task name and its JSON arguments.</summary>
public sealed record JobCall(string TaskName, IReadOnlyList<JsonElement> Args, IReadOnlyList<KeyValuePair<string, JsonElement>> Kwargs);
