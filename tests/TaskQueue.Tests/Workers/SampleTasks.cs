using TaskQueue.Tasks;

namespace TaskQueue.Tests.Workers;

/// <summary>Tasks the worker tests enqueue.</summary>
public static class SampleTasks
{
    [Task("tests.add")]
    public static int Add(int x, int y) => x + y;

    [Task("tests.fail")]
    public static void Fail(string message) => throw new InvalidOperationException(message);

    [Task("tests.sleep")]
    public static async Task<string> SleepAsync(double seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        return "slept";
    }

    [Task("tests.nothing")]
    public static void Nothing()
    {
    }
}
