using TaskQueue.TestSupport;

[assembly: AssemblyFixture(typeof(TestBroker))]
