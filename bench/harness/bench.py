"""The benchmark harness: every system against one Redis, in interleaved rounds (rounds.py), then a ratio
table, JSON, Markdown and a chart.

Started by bench/run.sh, which installs what is missing, starts the server and stops it afterwards:

    /usr/bin/python3 bench/harness/bench.py --url redis://127.0.0.1:PORT --port PORT [--quick]
        [--json FILE] [--systems taskqueue,bullmq,rq,hangfire,ceiling] [--unavailable NAME=REASON ...]
"""
import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time

import chart
import measures
import redisio
import report
import rounds
from systems import BENCH, ORDER, SYSTEMS, published_deployment


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def versions():
    def pkg(name):
        try:
            with open(os.path.join(BENCH, "node_modules", name, "package.json")) as f:
                return json.load(f)["version"]
        except OSError:
            return "?"

    def out(argv):
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout.strip()
        except OSError:
            return "?"

    return {
        "version": "", "bullmq": pkg("bullmq"), "ioredis": pkg("ioredis"), "node": out(["node", "--version"]),
        "rq": out(["/usr/bin/python3", "-c", "import rq; print(rq.__version__)"]),
        "python": out(["/usr/bin/python3", "-c", "import platform; print(platform.python_version())"]),
    }


def machine(r):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1), "os": platform.platform(),
            "redis": r.info("server")["redis_version"], "date": datetime.datetime.now(datetime.timezone.utc)
            .strftime("%Y-%m-%d %H:%M UTC")}


def main():
    # A TERM (run.sh's time limit) unwinds through the finally blocks that stop workers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", default=os.path.join(BENCH, "results", "latest.json"))
    ap.add_argument("--systems", default="taskqueue,bullmq,rq,hangfire,ceiling")
    ap.add_argument("--unavailable", action="append", default=[], help="NAME=REASON")
    ap.add_argument("--n", type=int, help="override N (development)")
    ap.add_argument("--runs", type=int, help="override runs per measure (development)")
    ap.add_argument("--ceiling-of", default="taskqueue", help="whose worker the ceiling replays (development)")
    args = ap.parse_args()

    n = args.n or (5_000 if args.quick else 20_000)
    runs = args.runs or (1 if args.quick else 3)
    selected = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(selected) - set(ORDER) - {"ceiling"}
    if unknown:
        ap.error(f"unknown systems: {', '.join(sorted(unknown))}")
    unavailable = dict(u.split("=", 1) for u in args.unavailable)
    workdir = os.path.join(BENCH, "results", "tmp")
    os.makedirs(workdir, exist_ok=True)
    r = redisio.connect(args.url)
    ctx = measures.Context(args.url, r, workdir, n, latency_n=1000, interval_ms=3)
    ver = versions()
    ver["deployment"] = published_deployment()
    meta = {"machine": machine(r), "mode": "quick" if args.quick else "full", "n": n, "runs": runs,
            "latency_jobs": ctx.latency_n, "latency_interval_ms": ctx.interval_ms, "versions": ver}
    say(f"bench: N={n:,}, {runs} run(s) per measure, systems {', '.join(selected)}; logs in {workdir}")

    results, raw = {}, {}
    entries = []
    for key in [s for s in ORDER if s in selected]:
        if key in unavailable:
            say(f"[{key}] not available: {unavailable[key]}")
            results[key] = report.empty_entry(f"not available: {unavailable[key]}")
        else:
            entries.append(rounds.Entry(SYSTEMS[key]))
    of = args.ceiling_of
    ceiling_of = None
    if "ceiling" in selected:
        if any(e.key == of for e in entries):
            ceiling_of = of
        else:
            reason = unavailable.get(of, f"{of} is not among the systems run")
            say(f"[ceiling] not available: {reason}")
            results["ceiling"] = report.empty_entry(f"not available: needs {of}'s worker to record ({reason})")
    t0 = time.monotonic()
    state = rounds.run(entries, ctx, runs, args.quick, args.port, workdir, ceiling_of)
    for e in entries:
        ver["version"] = ver.get(e.key, "")
        results[e.key], raw[e.key] = rounds.summarize(e, ver)
    if ceiling_of:
        tq = next(e for e in entries if e.key == ceiling_of)
        results["ceiling"], raw["ceiling"] = rounds.summarize_ceiling(state, ceiling_of, n, tq.best)
        if ceiling_of == "taskqueue" and "round_trips_per_job" in raw["ceiling"]:
            results["taskqueue"]["round_trips_per_job"] = raw["ceiling"]["round_trips_per_job"]
    r.flushall()
    meta["seconds"] = round(time.monotonic() - t0)

    ordered = {k: results[k] for k in report.SYSTEM_KEYS if k in results}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(ordered, f, indent=2)
        f.write("\n")
    stem = os.path.splitext(args.json)[0]
    with open(stem + ".runs.json", "w") as f:
        json.dump({"meta": meta, "runs": raw, "targets": [
            {"target": t, "measured": v, "goal": g, "verdict": s} for t, v, g, s in report.targets(ordered)]},
            f, indent=2)
        f.write("\n")
    chart_path = chart.draw(ordered, stem, meta)
    with open(stem + ".md", "w") as f:
        f.write(report.markdown(ordered, meta))
    print()
    print(f"TaskQueue bench, {meta['mode']} run: N={n:,}, median of {runs}, {meta['machine']['date']}, "
          f"{meta['machine']['cores']} cores, Redis {meta['machine']['redis']}, {meta['seconds']} s")
    print(report.table(ordered))
    print()
    print(report.targets_text(ordered))
    print()
    for k, v in ordered.items():
        print(f"{k}: {v['notes']}")
    print()
    print(f"wrote {args.json}, {stem}.runs.json, {stem}.md, {chart_path}")


if __name__ == "__main__":
    main()
