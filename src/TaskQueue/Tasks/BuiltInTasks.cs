using System.Text.Json;

namespace TaskQueue.Tasks;

/// <summary>Diagnostic tasks every worker has, for checking a deployment end to end.</summary>
internal static class BuiltInTasks
{
    public static void AddTo(TaskRegistry registry)
    {
        registry.Add("taskq.echo", Echo);
        registry.Add("taskq.sleep", SleepAsync);
        registry.Add("taskq.fail", Fail);
    }

    /// <summary>Returns its argument.</summary>
    private static JsonElement Echo(JsonElement value) => value;

    /// <summary>Sleeps (cancellably) and returns the seconds slept.</summary>
    private static async Task<double> SleepAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return seconds;
    }

    /// <summary>Throws, to see a failure reach the failed registry.</summary>
    private static object Fail(string message = "taskq.fail was called") => throw new TaskFailedOnPurposeException(message);
}

/// <summary>Thrown by the built-in <c>taskq.fail</c> task.</summary>
public sealed class TaskFailedOnPurposeException(string message) : Exception(message);
