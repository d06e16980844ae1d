using TaskQueue.Interop.Tests.Support;

[assembly: AssemblyFixture(typeof(InteropServer))]
[assembly: AssemblyFixture(typeof(ChildProcesses))]
