"""The measurements, each one run against a flushed server. Times come from Redis state, never worker logs."""
import time

import procs
import redisio
from systems import STAMPS_KEY

POLL_S = 0.002
# A worker's first jobs carry its start: JIT of what ReadyToRun left out, the thread pool's ramp-up, the first
# script loads (~50 ms here, bench/README.md "throughput within 10 %"). The queue-depth curve compares the pace
# after them, so that a quarter-second run at 10k jobs and a minute-long one at 1M differ only in the depth.
WARMUP_JOBS = 2_000


class Context:
    """What every measurement needs: the server, the log folder, and the size of the run."""

    def __init__(self, url, r, logdir, n, latency_n, interval_ms, deadline_factor=1.0):
        self.url = url
        self.r = r
        self.logdir = logdir
        self.n = n
        self.latency_n = latency_n
        self.interval_ms = interval_ms
        self.deadline_factor = deadline_factor

    def log(self, system, what):
        return f"{self.logdir}/{system.key}-{what}.log"


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(values)
    if not s:
        return None
    k = (len(s) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _worker_argv(system, ctx, concurrency, burst=False, scheduler=False):
    argv = system.runner + ["worker", "--url", ctx.url, "--concurrency", str(concurrency)]
    if burst and system.burst_flag:
        argv.append("--burst")
    if scheduler:
        argv.append("--scheduler")
    return argv


def enqueue(system, ctx, n):
    """Bulk-enqueue n no-op jobs; the runner times its own library call(s)."""
    return procs.run_command(system.runner + ["enqueue", "--url", ctx.url, "--n", str(n)],
                             timeout=60 + n / 200, log_path=ctx.log(system, "enqueue"))


def process(system, ctx, n, concurrency, workers=1, on_ready=None, on_done=None):
    """Fill the queue with n jobs (the fill is the enqueue measurement), then time workers draining it.

    The clock starts when the first worker prints ready (after its imports and connection, before its first
    fetch) and stops at the first poll that sees all n jobs final in Redis.
    """
    r = ctx.r
    r.flushall()
    mem0 = redisio.used_memory(r)
    enq = enqueue(system, ctx, n)
    if on_ready:
        on_ready()
    r.config_resetstat()
    started = [procs.Worker(_worker_argv(system, ctx, concurrency, burst=True), ctx.log(system, "worker"))
               for _ in range(workers)]
    try:
        t0 = min(w.wait_ready(120) for w in started)
        limit = t0 + (120 + n / 100) * ctx.deadline_factor
        polls = 0
        warm = None  # (time, jobs final) at the first poll past WARMUP_JOBS
        while True:
            done = redisio.count(r, system.finished)
            polls += 1
            if warm is None and done >= WARMUP_JOBS:
                warm = (time.monotonic(), done)
            if done >= n:
                t1 = time.monotonic()
                break
            if time.monotonic() > limit:
                raise procs.RunnerError(f"{done}/{n} jobs final after {limit - t0:.0f}s")
            if not any(w.running() for w in started) and redisio.count(r, system.finished) < n:
                raise procs.RunnerError(f"workers exited with {done}/{n} jobs final")
            time.sleep(POLL_S)
        # Not the harness's own: each poll sent len(system.finished) commands, plus CONFIG RESETSTAT and this INFO.
        calls = redisio.calls_between({}, redisio.commandstats(r)) - polls * len(system.finished) - 2
        if on_done:
            on_done()
    finally:
        procs.stop_all(started)
    failed = redisio.count(r, system.failed)
    if failed:
        raise procs.RunnerError(f"{failed} of {n} jobs failed")
    mem1 = redisio.used_memory(r)
    return {
        "n": n,
        "workers": workers,
        "concurrency": concurrency,
        "enqueue_jobs_per_s": enq["jobs_per_s"],
        "process_jobs_per_s": n / (t1 - t0),
        # The pace once the worker is warm: jobs after the first WARMUP_JOBS over their time (None when n is smaller,
        # or when the warm-up and the end fell in one poll).
        "warm_jobs_per_s": (n - warm[1]) / (t1 - warm[0]) if warm and t1 > warm[0] and n > warm[1] else None,
        "worker_startup_s": t0 - min(w.spawned for w in started),
        "redis_bytes_per_job": (mem1 - mem0) / n,
        "commands_per_job": calls / n,
    }


def _stamped(system, ctx, concurrency, scheduler, produce, expect, settle_s):
    """Start an idle worker, let a runner produce stamp jobs, and collect their stamps from Redis."""
    r = ctx.r
    r.flushall()
    worker = procs.Worker(_worker_argv(system, ctx, concurrency, scheduler=scheduler), ctx.log(system, "worker"))
    try:
        worker.wait_ready(120)
        # Let the worker reach its idle wait (Hangfire starts its worker threads, RQ forks its scheduler).
        time.sleep(settle_s)
        produce()
        limit = time.monotonic() + 60 * ctx.deadline_factor
        while r.llen(STAMPS_KEY) < expect:
            if time.monotonic() > limit:
                raise procs.RunnerError(f"{r.llen(STAMPS_KEY)}/{expect} stamp jobs ran within 60s")
            if not worker.running():
                raise procs.RunnerError("worker exited")
            time.sleep(0.01)
    finally:
        worker.stop()
    return [float(v) for v in r.lrange(STAMPS_KEY, 0, -1)]


def latency(system, ctx, concurrency):
    """Jobs enqueued one at a time, interval_ms apart, to an idle worker: enqueue call to job start."""
    n = ctx.latency_n

    def produce():
        procs.run_command(system.runner + ["latency", "--url", ctx.url, "--n", str(n),
                                           "--interval-ms", str(ctx.interval_ms)],
                          timeout=60 + n * (ctx.interval_ms / 1000 + 0.05), log_path=ctx.log(system, "latency"))

    values = _stamped(system, ctx, concurrency, False, produce, n, settle_s=0.5)
    return {"latency_p50_ms": percentile(values, 50), "latency_p99_ms": percentile(values, 99),
            "latency_max_ms": max(values)}


def schedule(system, ctx, concurrency):
    """Jobs scheduled 1-3 s ahead: due time to job start (negative when a system starts them early)."""
    n = ctx.latency_n

    def produce():
        procs.run_command(system.runner + ["schedule", "--url", ctx.url, "--n", str(n),
                                           "--min-ms", "1000", "--max-ms", "3000"],
                          timeout=60 + n * 0.05, log_path=ctx.log(system, "schedule"))

    values = _stamped(system, ctx, concurrency, True, produce, n, settle_s=1.0)
    return {"schedule_lateness_p99_ms": percentile(values, 99),
            "schedule_lateness_p50_ms": percentile(values, 50),
            "schedule_lateness_min_ms": min(values)}
