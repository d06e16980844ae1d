namespace TaskQueue.Bench;

/// <summary>The jobs the harness runs: a no-op, and a stamp that records how late it started.</summary>
public sealed class BenchTasks(StampSink sink)
{
    public const string Noop = "bench.noop";
    public const string Stamp = "bench.stamp";

    [Task(Noop)]
    public static void RunNoop() { }

    [Task(Stamp)]
    public Task RunStamp(double refMs) => sink.PushAsync(RunnerArgs.NowMs() - refMs);
}
