using TaskQueue.Faults.Tests.Support;
using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(FaultMachine))]
[assembly: AssemblyFixture(typeof(ChildProcesses))]
// Every test loads the machine (several processes, thousands of jobs, timing bounds): one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
