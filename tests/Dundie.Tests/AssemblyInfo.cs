using TaskQueue.TestSupport;

// One broker for the whole run (embedded, or TASKQUEUE_TEST_REDIS_URL); test classes keep apart by key prefix.
[assembly: AssemblyFixture(typeof(TestBroker))]
