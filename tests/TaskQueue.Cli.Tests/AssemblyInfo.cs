using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(TestBroker))]
[assembly: AssemblyFixture(typeof(ChildProcesses))]
