using TaskQueue.Cli.Tests.Support;
using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(TestBroker))]
[assembly: AssemblyFixture(typeof(SpawnedProcesses))]
