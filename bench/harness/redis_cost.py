"""Redis's own work per processed job, counted in instructions: the noise-free view of the broker side.

    /usr/bin/python3 bench/harness/redis_cost.py [--systems taskqueue,bullmq,rq] [--n 2000] [--concurrency 50]
                                                 [--phase process|enqueue] [--queued Q]

Starts its own redis-server under valgrind's callgrind (Debian's `valgrind`), instrumented only while it
counts, and per system: fills the queue with the runner's bulk enqueue (N jobs, or Q with `--queued`),
starts one worker, zeroes the counters once the worker is ready, and dumps them when N jobs are final (with
a deeper queue the worker is stopped with SIGSTOP first). Instructions executed by Redis (every command,
script and reply) divided by the jobs ended is the system's Redis cost per job (with `--phase enqueue`: the
runner's bulk enqueue of N jobs instead, its connection and first script call included); unlike CPU time on
a shared machine it repeats to within a percent, so `--queued 1000000` against the default tells whether a
job costs Redis more when the queue is deep.
Under callgrind Redis runs ~50x slower, so N is small and nothing here measures speed. The dump of the last
system stays in bench/results/tmp/callgrind.<system>.out for `callgrind_annotate --inclusive=yes`.
Prints one JSON line per system: instructions per job, and for the scripted systems the share spent inside
the scripts' Redis commands (scriptCall), turning their replies into Lua values (parseReply), and the rest
of the script run (the Lua code itself, argument conversion, garbage collection).
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measures  # noqa: E402
import procs  # noqa: E402
import redisio  # noqa: E402
from systems import SYSTEMS  # noqa: E402

TMP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "results", "tmp")
# Inclusive costs worth naming: where a scripted system's Redis time goes.
FILL_CHUNK = 20_000
PARTS = {"scriptCall": "commands_in_scripts", "parseReply": "replies_to_lua", "lua_pcall": "scripts_total"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def control(pid, r, *args):
    """callgrind_control acts when the target next runs: keep Redis busy with PINGs until it has."""
    p = subprocess.Popen(["callgrind_control", *args, str(pid)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while p.poll() is None:
        r.ping()
        time.sleep(0.05)


def dump(pid, r, path):
    before = set(glob.glob(os.path.join(TMP, "callgrind.raw.*")))
    control(pid, r, "-d")
    new = sorted(set(glob.glob(os.path.join(TMP, "callgrind.raw.*"))) - before, key=os.path.getmtime)
    if not new:
        raise RuntimeError("callgrind wrote no dump")
    os.replace(new[-1], path)
    total = 0
    with open(path) as f:
        for line in f:
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
                break
    return total, inclusive(path)


def inclusive(path):
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                         capture_output=True, text=True).stdout
    found = {}
    for line in out.splitlines():
        for fn in PARTS:
            # ":fn [" and not ":fn'2 [", the same function entered again from inside itself.
            if f":{fn} [" in line:
                found.setdefault(fn, int(line.split()[0].replace(",", "")))
    return found


def measure_enqueue(system, ctx, pid, n):
    """Redis's work per job of the runner's bulk enqueue (its connection and first script call included)."""
    r = ctx.r
    r.flushall()
    control(pid, r, "-i", "on")
    control(pid, r, "-z")
    measures.enqueue(system, ctx, n)
    total, parts = dump(pid, r, os.path.join(TMP, f"callgrind.{system.key}.enqueue.out"))
    control(pid, r, "-i", "off")
    return row_of(system, "enqueue", n, total, parts)


def row_of(system, phase, jobs, total, parts):
    row = {"system": system.key, "phase": phase, "jobs": jobs, "instructions_per_job": round(total / jobs)}
    for fn, name in PARTS.items():
        if fn in parts:
            row[name + "_per_job"] = round(parts[fn] / jobs)
    return row


def final(r, system):
    return redisio.count(r, system.finished) + redisio.count(r, system.failed)


def measure(system, ctx, pid, n, concurrency, queued):
    """Redis's work per job while one worker ends the first n of `queued` jobs."""
    r = ctx.r
    r.flushall()
    # Filled uninstrumented, in runs of FILL_CHUNK: under valgrind one long pipelined enqueue outlasts the
    # client's 5 s timeout.
    for start in range(0, queued, FILL_CHUNK):
        measures.enqueue(system, ctx, min(FILL_CHUNK, queued - start))
    # Instrumented from before the worker starts: uninstrumented, Redis would let it end the jobs before counting.
    control(pid, r, "-i", "on")
    worker = procs.Worker(measures._worker_argv(system, ctx, concurrency, burst=True), ctx.log(system, "cost-worker"))
    try:
        worker.wait_ready(300)
        control(pid, r, "-z")
        # A worker that starts before it says ready (RQ's) may have ended a few jobs already: not counted.
        before = final(r, system)
        deadline = time.monotonic() + 600
        while final(r, system) - before < n:
            if time.monotonic() > deadline:
                raise procs.RunnerError(f"{system.key}: {n} jobs not final after 600 s")
            time.sleep(0.2)
        # Stop the worker before counting (it would go on with the rest of a deeper queue), and let the calls it
        # already sent finish.
        os.killpg(worker.proc.pid, signal.SIGSTOP)
        counted = final(r, system)
        while True:
            time.sleep(1)
            if final(r, system) == counted:
                break
            counted = final(r, system)
        total, parts = dump(pid, r, os.path.join(TMP, f"callgrind.{system.key}.out"))
        control(pid, r, "-i", "off")
        os.killpg(worker.proc.pid, signal.SIGCONT)
    finally:
        procs.stop_all([worker])
    row = row_of(system, "process", counted - before, total, parts)
    row["queued"] = queued
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--systems", default="taskqueue,bullmq,rq")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--phase", choices=["process", "enqueue"], default="process",
                    help="count the worker draining N queued jobs (default) or the runner's bulk enqueue of N")
    ap.add_argument("--queued", type=int, default=0,
                    help="process phase: fill this many jobs (>= N) and count the first N a worker ends")
    args = ap.parse_args()
    os.makedirs(TMP, exist_ok=True)
    port = free_port()
    url = f"redis://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={TMP}/callgrind.raw.%p",
         "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(os.path.join(TMP, "callgrind-redis.log"), "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                r = redisio.connect(url)
                r.ping()
                break
            except Exception:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("redis-server under valgrind did not start; see callgrind-redis.log")
                time.sleep(0.5)
        ctx = measures.Context(url, r, TMP, args.n, 0, 0, deadline_factor=50)
        for key in args.systems.split(","):
            if args.phase == "enqueue":
                row = measure_enqueue(SYSTEMS[key], ctx, server.pid, args.n)
            else:
                row = measure(SYSTEMS[key], ctx, server.pid, args.n, args.concurrency, max(args.queued, args.n))
            print(json.dumps(row), flush=True)
    finally:
        server.terminate()
        server.wait(30)
        for raw in glob.glob(os.path.join(TMP, "callgrind.raw.*")):
            os.remove(raw)


if __name__ == "__main__":
    main()
