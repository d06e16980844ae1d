using TaskQueue.Dashboard.Browser.Tests;
using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(TestBroker))]
[assembly: AssemblyFixture(typeof(Chromium))]
// One Chromium, shared; its pages are cheap, and the machine has two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
