using System.Text.Json;

namespace TaskQueue.Workers;

/// <summary>A command sent to one worker on its <c>rq:pubsub:&lt;name&gt;</c> channel, in RQ's JSON form:
/// <c>{"command": "stop-job", "job_id": "..."}</c>, <c>{"command": "shutdown"}</c>, <c>{"command": "kill-horse"}</c>.</summary>
public sealed record WorkerCommand(string Command, string? JobId = null)
{
    public const string StopJob = "stop-job";
    public const string Shutdown = "shutdown";
    public const string KillHorse = "kill-horse";

    public string ToJson() => JobId is null
        ? JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = Command })
        : JsonSerializer.Serialize(new Dictionary<string, string> { ["command"] = Command, ["job_id"] = JobId });

    /// <summary>Parses a command; null when the payload is not one.</summary>
    public static WorkerCommand? Parse(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("command", out var command) || command.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var jobId = root.TryGetProperty("job_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            return new WorkerCommand(command.GetString()!, jobId);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
