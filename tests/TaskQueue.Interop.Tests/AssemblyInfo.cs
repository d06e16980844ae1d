using TaskQueue.Interop.Tests.Support;
using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(InteropServer))]
[assembly: AssemblyFixture(typeof(ChildProcesses))]
