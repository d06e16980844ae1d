namespace TaskQueue.Faults.Tests.Support;

/// <summary>How big a run is: <c>TASKQUEUE_FAULTS_SCALE=ci</c> (the default: the whole suite in about five minutes
/// on two cores) or <c>full</c> (the counts of issue 12: 10,000 jobs and 20 kills, 1,000 poisons...).</summary>
public static class FaultScale
{
    public const string Variable = "TASKQUEUE_FAULTS_SCALE";

    /// <summary>True for the full run.</summary>
    public static bool IsFull { get; } = Read() == "full";

    /// <summary>The name printed with every figure.</summary>
    public static string Name => IsFull ? "full" : "ci";

    /// <summary><paramref name="ci"/> or <paramref name="full"/>, by the scale of this run.</summary>
    public static T Pick<T>(T ci, T full) => IsFull ? full : ci;

    private static string Read()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        return value switch
        {
            null or "" or "ci" => "ci",
            "full" => "full",
            _ => throw new InvalidOperationException($"{Variable}={value}: expected ci or full."),
        };
    }
}
