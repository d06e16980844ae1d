// Hangfire runner for the benchmark harness (bench/harness). One command per process, one JSON line out.
//
//   Hangfire.Bench enqueue  --url redis://127.0.0.1:PORT --n N          N no-op jobs through IBackgroundJobClient.Create, timed
//   Hangfire.Bench worker   --url ... --concurrency WORKERS [--scheduler]   BackgroundJobServer; prints {"ready":...}, runs until SIGTERM
//   Hangfire.Bench latency  --url ... --n 1000 --interval-ms 5          stamp jobs enqueued one at a time
//   Hangfire.Bench schedule --url ... --n 1000 --min-ms 1000 --max-ms 3000   stamp jobs in ScheduledState
using System.Diagnostics;
using Hangfire;
using Hangfire.Bench;
using Hangfire.Common;
using Hangfire.Redis.StackExchange;
using Hangfire.States;
using StackExchange.Redis;

var (command, options) = RunnerArgs.Parse(args);
// Hangfire's client and storage call StackExchange.Redis synchronously from pool threads; without headroom the pool
// starves (measured here: 16 producers ran 10x slower than one). Raising the minimum is StackExchange.Redis's
// documented remedy for sync-over-async timeouts.
ThreadPool.SetMinThreads(100, 100);
var redis = ConnectionMultiplexer.Connect(RunnerArgs.ToConfiguration(options.Url));
var storage = new RedisStorage(redis, new RedisStorageOptions { Prefix = HangfireSetup.Prefix });
HangfireSetup.Configure(storage);

switch (command)
{
    case "enqueue": Enqueue(); break;
    case "worker": Worker(); break;
    case "latency": Latency(); break;
    case "schedule": Schedule(); break;
    default: Console.Error.WriteLine("usage: Hangfire.Bench enqueue|worker|latency|schedule --url URL [...]"); return 2;
}
redis.Dispose();
return 0;

void Enqueue()
{
    var client = new BackgroundJobClient(storage);
    // One Job built once, as Hangfire's own Create(Job, IState) overload allows; the storage writes each
    // job in its own MULTI, so parallel producers are the only way Hangfire batches round trips.
    var job = Job.FromExpression(() => BenchJobs.Noop());
    var sw = Stopwatch.StartNew();
    Parallel.For(0, options.N, new ParallelOptions { MaxDegreeOfParallelism = HangfireSetup.EnqueueParallelism },
        _ => client.Create(job, new EnqueuedState()));
    var seconds = sw.Elapsed.TotalSeconds;
    RunnerArgs.Emit(new { jobs = options.N, seconds, jobs_per_s = options.N / seconds });
}

void Worker()
{
    BenchJobs.Stamps = redis.GetDatabase();
    var stop = new ManualResetEventSlim();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
    using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
        System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.Set(); });
    var serverOptions = HangfireSetup.ServerOptions(options.Concurrency, options.Scheduler);
    RunnerArgs.Emit(new { ready = RunnerArgs.NowMs() / 1000.0 });
    using (new BackgroundJobServer(serverOptions, storage))
    {
        stop.Wait();
    }
}

void Latency()
{
    var client = new BackgroundJobClient(storage);
    for (var i = 0; i < options.N; i++)
    {
        var refMs = RunnerArgs.NowMs();
        client.Create(Job.FromExpression(() => BenchJobs.Stamp(refMs)), new EnqueuedState());
        Thread.Sleep(TimeSpan.FromMilliseconds(options.IntervalMs));
    }
    RunnerArgs.Emit(new { enqueued = options.N });
}

void Schedule()
{
    var client = new BackgroundJobClient(storage);
    for (var i = 0; i < options.N; i++)
    {
        var dueMs = RunnerArgs.NowMs() + options.MinMs + Random.Shared.NextDouble() * (options.MaxMs - options.MinMs);
        var due = DateTime.UnixEpoch.AddMilliseconds(dueMs);
        client.Create(Job.FromExpression(() => BenchJobs.Stamp(dueMs)), new ScheduledState(due));
    }
    RunnerArgs.Emit(new { scheduled = options.N });
}
