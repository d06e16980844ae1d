"""CPU cost per job, for tuning: the steadier view of process_jobs_per_s on a loaded machine.

    /usr/bin/python3 bench/harness/probe.py --url redis://127.0.0.1:PORT [--system taskqueue] [--n 20000]
        [--runs 5] [--concurrency 50] [--workers 1] [--warmup 2000] [--variant NAME[:RUNNER[:ENV=V,...[:WORKER ARGS]]]...]

Per run: fill the queue (the runner's enqueue), start the worker(s), and between the ready line and the
poll that sees all jobs final take the wall time, the worker processes' CPU time (/proc utime+stime, so
it includes every thread, and the processes they started: a worker's child processes under process isolation), and
Redis's own CPU (INFO cpu) and per-command usec (INFO commandstats); `warm_jobs_per_s` and `warm_worker_cpu_us` are the pace
and the worker's CPU per job after the first --warmup jobs (measures.WARMUP_JOBS unless set) (a worker's start, and its children's, left out). Wall time moves with the load on a shared
machine; CPU per job moves much less. Prints each run and the medians.
"""
import argparse
import dataclasses
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measures  # noqa: E402
import procs  # noqa: E402
import redisio  # noqa: E402
from systems import SYSTEMS  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def proc_cpu(pid):
    """utime + stime of a process, its reaped children and its live descendants, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(x) for x in fields[11:15]) / TICK + sum(proc_cpu(child) for child in live_children(pid))


def live_children(pid):
    children = set()
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                children.update(int(c) for c in f.read().split())
    except OSError:
        pass
    return children


def ctx_switches(pid):
    """Voluntary + involuntary context switches over every thread of a process."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                total += sum(int(l.split()[1]) for l in f if "ctxt_switches" in l)
        except OSError:
            pass
    return total


def redis_cpu(r):
    info = r.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def usec(r):
    return {k[len("cmdstat_"):]: (int(v["calls"]), int(v["usec"])) for k, v in r.info("commandstats").items()}


def loadavg():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def one(system, ctx, n, concurrency, workers, extra=(), warmup=measures.WARMUP_JOBS):
    r = ctx.r
    r.flushall()
    mem0 = redisio.used_memory(r)
    rc0 = redis_cpu(r)
    enq = measures.enqueue(system, ctx, n)
    enq_redis = redis_cpu(r) - rc0
    r.config_resetstat()
    started = [procs.Worker(measures._worker_argv(system, ctx, concurrency, burst=True) + list(extra), ctx.log(system, "probe-worker"))
               for _ in range(workers)]
    try:
        t0 = min(w.wait_ready(120) for w in started)
        c0 = sum(proc_cpu(w.proc.pid) for w in started)
        s0 = sum(ctx_switches(w.proc.pid) for w in started)
        rc0 = redis_cpu(r)
        warm = None
        while (done := redisio.count(r, system.finished)) < n:
            if warm is None and done >= warmup:
                warm = (time.monotonic(), done, sum(proc_cpu(w.proc.pid) for w in started))
            if time.monotonic() - t0 > 120 + n / 100:
                raise procs.RunnerError("timed out")
            time.sleep(measures.POLL_S)
        t1 = time.monotonic()
        c1 = sum(proc_cpu(w.proc.pid) for w in started)
        s1 = sum(ctx_switches(w.proc.pid) for w in started)
        rc1 = redis_cpu(r)
        stats = usec(r)
    finally:
        procs.stop_all(started)
    mem1 = redisio.used_memory(r)
    script = {k: v for k, v in stats.items() if k not in ("zcard", "get", "llen", "info", "config|resetstat")}
    return {
        "enqueue_jobs_per_s": enq["jobs_per_s"],
        "enqueue_redis_us": enq_redis / n * 1e6,
        "process_jobs_per_s": n / (t1 - t0),
        "warm_jobs_per_s": (n - warm[1]) / (t1 - warm[0]) if warm and t1 > warm[0] else n / (t1 - t0),
        "warm_worker_cpu_us": (c1 - warm[2]) / (n - warm[1]) * 1e6 if warm and n > warm[1] else (c1 - c0) / n * 1e6,
        "worker_cpu_us": (c1 - c0) / n * 1e6,
        "switches_per_job": (s1 - s0) / n,
        "redis_cpu_us": (rc1 - rc0) / n * 1e6,
        "redis_cmd_us": sum(u for _, u in script.values()) / n,
        "commands_per_job": sum(c for c, _ in script.values()) / n,
        "bytes_per_job": (mem1 - mem0) / n,
        "load": loadavg(),
        "top": sorted(((k, round(u / n, 2), round(c / n, 2)) for k, (c, u) in script.items()), key=lambda x: -x[1])[:8],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--system", default="taskqueue")
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=measures.WARMUP_JOBS,
                    help="jobs left out of warm_jobs_per_s and warm_worker_cpu_us (child processes take seconds to start)")
    ap.add_argument("--variant", action="append", default=[],
                    help="NAME[:RUNNER[:ENV=V,ENV=V[:WORKER ARGS]]]: compare builds or settings; runs interleave A, B, A, B...")
    args = ap.parse_args()
    base = SYSTEMS[args.system]
    variants = []
    for spec in args.variant or ["default"]:
        name, runner, env, extra = (spec.split(":", 3) + ["", "", ""])[:4]
        variants.append((name, [runner] if runner else base.runner,
                         dict(kv.split("=", 1) for kv in env.split(",") if kv), extra.split()))
    workdir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "results", "tmp")
    os.makedirs(workdir, exist_ok=True)
    ctx = measures.Context(args.url, redisio.connect(args.url), workdir, args.n, 0, 0)
    runs = {name: [] for name, _, _, _ in variants}
    saved = dict(os.environ)
    for i in range(args.runs):
        for name, runner, env, extra in variants:
            os.environ.clear()
            os.environ.update(saved)
            os.environ.update(env)
            system = dataclasses.replace(base, runner=runner)
            res = one(system, ctx, args.n, args.concurrency, args.workers, extra, args.warmup)
            runs[name].append(res)
            print(name, json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in res.items()}), flush=True)
    os.environ.clear()
    os.environ.update(saved)
    for name, results in runs.items():
        keys = [k for k in results[0] if k != "top"]
        med = {k: round(statistics.median(x[k] for x in results), 2) for k in keys}
        print(f"median {name}:", json.dumps(med), flush=True)


if __name__ == "__main__":
    main()
