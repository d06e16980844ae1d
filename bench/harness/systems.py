"""The systems under test: how to run each one's runner and how to read its progress from Redis.

A runner is a program that speaks the harness's protocol (see bench/README.md, "Runner protocol"):

    <runner> enqueue  --url URL --n N              bulk-enqueue N no-op jobs; prints {"jobs_per_s": ...}
    <runner> worker   --url URL --concurrency C [--burst] [--scheduler]
                                                   prints {"ready": <epoch s>} then works until SIGTERM
    <runner> latency  --url URL --n N --interval-ms MS       N stamp jobs, one at a time
    <runner> schedule --url URL --n N --min-ms A --max-ms B  N stamp jobs due A..B ms ahead

A stamp job pushes (its start time - a reference time) in ms onto the list bench:stamps.
Progress is read from each system's own Redis keys, never from a runner's output.
"""
from dataclasses import dataclass, field
import os

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

STAMPS_KEY = "bench:stamps"


@dataclass
class System:
    key: str
    runner: list
    # (command, key) pairs summed to count jobs in a final state; failed ones are counted apart.
    finished: list
    failed: list
    # Worker settings tried for process_jobs_per_s; the best median wins and the other measures use it.
    concurrencies: list
    # The RQ worker exits when its queues are empty; the others run until the harness stops them.
    burst_flag: bool = False
    notes: str = ""
    kept: str = ""
    extras: dict = field(default_factory=dict)


def _dotnet_runner(project):
    return [os.path.join(BENCH, project, "bin", "Release", "net10.0", project)]


def _published_runner(project):
    """run.sh publishes TaskQueue.Bench (ReadyToRun, the recommended worker deployment) into bin/publish."""
    return [os.path.join(BENCH, project, "bin", "publish", project)]


def published_deployment(project="TaskQueue.Bench"):
    """How run.sh published the runner, read from what is there: a composite image leaves PROJECT.r2r.dll."""
    if os.path.exists(os.path.join(BENCH, project, "bin", "publish", project + ".r2r.dll")):
        return "self-contained as one composite ReadyToRun image"
    return "framework-dependent ReadyToRun"


SYSTEMS = {
    "taskqueue": System(
        key="taskqueue",
        runner=_published_runner("TaskQueue.Bench"),
        finished=[("zcard", "rq:finished:default")],
        failed=[("zcard", "rq:failed:default")],
        concurrencies=[int(c) for c in os.environ.get("TASKQUEUE_BENCH_CONCURRENCY", "50,200").split(",")],
        notes="TaskQueue (this repo): EnqueueManyAsync for bulk enqueue; one worker process "
              "(AddWorker in a generic host) with Concurrency={c} (best of 50/200); default result_ttl 500 s; "
              "runner published {deployment}.",
        kept="job hash (RQ layout: data, timestamps, status) + result + finished-registry entry, "
             "for result_ttl 500 s",
    ),
    "bullmq": System(
        key="bullmq",
        runner=["node", os.path.join(BENCH, "bullmq", "runner.mjs")],
        finished=[("zcard", "bull:bench:completed")],
        failed=[("zcard", "bull:bench:failed")],
        concurrencies=[1, 16, 50, 200],
        notes="BullMQ {version} on ioredis {ioredis}, Node {node}: Queue.addBulk in chunks of 1,000 "
              "(8 in flight); Worker concurrency {c} (best of 1/16/50/200), all other options default "
              "(removeOnComplete unset, stalled checks on); delayed jobs are promoted by the worker itself.",
        kept="job hash with returnvalue + completed-set entry, kept until removed (removeOnComplete unset), "
             "plus the events stream (capped at ~10,000 entries)",
    ),
    "rq": System(
        key="rq",
        runner=["/usr/bin/python3", os.path.join(BENCH, "rq", "runner.py")],
        finished=[("zcard", "rq:finished:default")],
        failed=[("zcard", "rq:failed:default")],
        concurrencies=[1],
        burst_flag=True,
        notes="RQ {version} (Debian python3-rq), Python {python}: Queue.enqueue_many (one pipeline); "
              "SimpleWorker (no fork per job), --burst for throughput, JSONSerializer, logging_level WARNING; "
              "with_scheduler=True for scheduled jobs (RQ's scheduler checks every 1 s, not configurable "
              "from the worker, and scores due times in whole seconds).",
        kept="job hash + result in the rq:results:<id> stream + finished-registry entry, for result_ttl 500 s",
    ),
    "hangfire": System(
        key="hangfire",
        runner=_dotnet_runner("Hangfire.Bench"),
        finished=[("get", "{hangfire}:stats:succeeded")],
        failed=[("get", "{hangfire}:stats:failed")],
        concurrencies=[20, 50],
        notes="Hangfire.Core 1.8.25 + Hangfire.Redis.StackExchange 1.12.0 (StackExchange.Redis 2.13): "
              "IBackgroundJobClient.Create(Job, EnqueuedState) from 16 parallel producers (no bulk API "
              "outside Hangfire Pro; ThreadPool min threads 100 against sync-over-async starvation); "
              "BackgroundJobServer WorkerCount {c} (best of 20/50); SchedulePollingInterval TimeSpan.Zero "
              "(the lowest accepted) for scheduled jobs; recommended serializer settings; storage options default "
              "(FetchTimeout 3 min with pub/sub wake-up, UseTransactions true).",
        kept="job hash + state hash + history list per job, expiring after 1 day; succeeded list capped at 499",
    ),
}

ORDER = ["taskqueue", "bullmq", "rq", "hangfire"]
