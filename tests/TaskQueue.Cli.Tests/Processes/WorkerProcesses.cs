namespace TaskQueue.Cli.Tests.Processes;

/// <summary>The process tests run one at a time and alone: each starts real worker processes, and several
/// measure time (grace periods, a scheduled job on time) that a machine busy with other tests would skew.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerProcesses
{
    public const string Name = "worker processes";
}
