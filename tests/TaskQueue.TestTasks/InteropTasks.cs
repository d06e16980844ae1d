using System.Text.Json;
using System.Text.Json.Nodes;
using TaskQueue.Tasks;

namespace TaskQueue.TestTasks;

/// <summary>The C# twins of <c>tests/TaskQueue.Interop.Tests/python/interop_tasks.py</c>: same names, same
/// behaviour, so a job enqueued by either side runs on either side and its result reads the same.</summary>
/// <remarks><c>interop_tasks.python_only</c> is deliberately missing here.</remarks>
public static class InteropTasks
{
    [Task("interop_tasks.add")]
    public static int Add(int x, int y) => x + y;

    /// <summary>Binds a string, a list and an optional object; returns all three, transformed.</summary>
    [Task("interop_tasks.shape")]
    public static Dictionary<string, object?> Shape(string text, int[] numbers, JsonElement? options = null) => new()
    {
        ["text"] = text.ToUpperInvariant(),
        ["total"] = numbers.Sum(),
        ["options"] = options,
    };

    [Task("interop_tasks.fail")]
    public static int Fail(string message) => throw new InvalidOperationException(message);

    [Task("interop_tasks.sleep")]
    public static async Task<string> SleepAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return "slept";
    }

    /// <summary>Returns nothing: a finished job without a result.</summary>
    [Task("interop_tasks.nothing")]
    public static void Nothing()
    {
    }

    /// <summary>Fails the first <paramref name="failures"/> calls, counted in the file at <paramref name="path"/>,
    /// then returns how many tries it took.</summary>
    [Task("interop_tasks.flaky")]
    public static int Flaky(string path, int failures)
    {
        var count = (File.Exists(path) ? int.Parse(File.ReadAllText(path)) : 0) + 1;
        File.WriteAllText(path, count.ToString());
        return count <= failures ? throw new InvalidOperationException($"flaky failure {count} of {failures}") : count;
    }

    /// <summary>Leaves one file per run in <paramref name="folder"/> named after <paramref name="key"/> and this side,
    /// so a test counts the runs of each job.</summary>
    [Task("interop_tasks.mark")]
    public static async Task<string> MarkAsync(string folder, string key, double seconds = 0, CancellationToken cancellationToken = default)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        await File.Create(Path.Combine(folder, $"{key}.dotnet.{Guid.NewGuid():N}")).DisposeAsync();
        return "dotnet";
    }

    /// <summary>The running job's meta, as the worker hands it to the task.</summary>
    [Task("interop_tasks.job_meta")]
    public static JsonObject JobMeta(JobContext context) => context.Meta;

    /// <summary>Reports progress through the job's meta: saves <c>step</c> 1, waits until the file <paramref name="gate"/>
    /// exists, then saves <c>step</c> 2 and returns.</summary>
    [Task("interop_tasks.progress")]
    public static async Task<string> ProgressAsync(string gate, JobContext context, CancellationToken cancellationToken)
    {
        context.Meta["step"] = 1;
        await context.SaveMetaAsync(cancellationToken);
        while (!File.Exists(gate)) await Task.Delay(50, cancellationToken);
        context.Meta["step"] = 2;
        context.Meta["note"] = "almost done";
        await context.SaveMetaAsync(cancellationToken);
        return "done";
    }
}
