// TaskQueue runner for the benchmark harness (bench/harness). One command per process, one JSON line out.
//
//   TaskQueue.Bench enqueue  --url redis://127.0.0.1:PORT --n N          EnqueueManyAsync of N no-op jobs, timed
//   TaskQueue.Bench worker   --url ... --concurrency C [--scheduler] [--isolation]
//                                                                         AddWorker in a generic host; prints
//                                                                         {"ready":...}, runs until SIGTERM;
//                                                                         --isolation: each job in a child process
//   TaskQueue.Bench latency  --url ... --n 1000 --interval-ms 5          stamp jobs enqueued one at a time
//   TaskQueue.Bench schedule --url ... --n 1000 --min-ms 1000 --max-ms 3000   stamp jobs with EnqueueAt
// TASKQUEUE_BENCH_TELEMETRY=1: TaskQueue's spans and instruments listened to for the whole run (TelemetryListeners).
using TaskQueue.Bench;

var (command, options) = RunnerArgs.Parse(args);
using var telemetry = TelemetryListeners.StartIfAsked();
return command switch
{
    "enqueue" => await Commands.EnqueueAsync(options),
    "worker" => await Commands.WorkerAsync(options),
    "latency" => await Commands.LatencyAsync(options),
    "schedule" => await Commands.ScheduleAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: TaskQueue.Bench enqueue|worker|latency|schedule --url URL [--n N] [--concurrency C] ...");
    return 2;
}
