"""The benchmark harness: every system in turn against one Redis, then a ratio table, JSON and a chart.

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
import traceback

import ceiling
import chart
import measures
import redisio
import report
from systems import BENCH, ORDER, SYSTEMS


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


def best_of(system, ctx, runs, n):
    """process_jobs_per_s for every worker setting; the best median wins."""
    by_setting = {}
    for c in system.concurrencies:
        by_setting[c] = []
        for i in range(runs):
            res = measures.process(system, ctx, n, c)
            by_setting[c].append(res)
            say(f"  [{system.key}] process n={n} concurrency={c} run {i + 1}/{runs}: "
                f"{res['process_jobs_per_s']:,.0f} jobs/s (enqueue {res['enqueue_jobs_per_s']:,.0f}/s, "
                f"{res['redis_bytes_per_job']:,.0f} B/job)")
    best = max(by_setting, key=lambda c: report.median([r["process_jobs_per_s"] for r in by_setting[c]]))
    return best, by_setting


def run_system(system, ctx, runs, quick, ver):
    t_start = time.monotonic()
    best, by_setting = best_of(system, ctx, runs, ctx.n)
    main = by_setting[best]
    raw = {"process": {str(c): v for c, v in by_setting.items()}, "best_concurrency": best}
    lat, sch = [], []
    for i in range(runs):
        lat.append(measures.latency(system, ctx, best))
        say(f"  [{system.key}] latency run {i + 1}/{runs}: p50 {lat[-1]['latency_p50_ms']:.2f} ms, "
            f"p99 {lat[-1]['latency_p99_ms']:.2f} ms")
    for i in range(runs):
        sch.append(measures.schedule(system, ctx, best))
        say(f"  [{system.key}] schedule run {i + 1}/{runs}: lateness p99 {sch[-1]['schedule_lateness_p99_ms']:.1f} ms")
    raw.update({"latency": lat, "schedule": sch})
    all_process = [r for rs in by_setting.values() for r in rs]
    entry = {
        "enqueue_jobs_per_s": report.median([r["enqueue_jobs_per_s"] for r in all_process]),
        "process_jobs_per_s": report.median([r["process_jobs_per_s"] for r in main]),
        "latency_p50_ms": report.median([r["latency_p50_ms"] for r in lat]),
        "latency_p99_ms": report.median([r["latency_p99_ms"] for r in lat]),
        "schedule_lateness_p99_ms": report.median([r["schedule_lateness_p99_ms"] for r in sch]),
        "redis_bytes_per_job": report.median([r["redis_bytes_per_job"] for r in main]),
        "notes": (system.notes.format(c=best, **ver) + f" Kept per finished job: {system.kept}."),
    }
    if system.key == "taskqueue":
        entry["commands_per_job"] = report.median([r["commands_per_job"] for r in main])
        extras = {"process_jobs_per_s_10k": (10_000, 1, runs)}
        if not quick:
            extras["process_jobs_per_s_1m"] = (1_000_000, 1, 1)
        extras["process_jobs_per_s_workers_1"] = None
        extras["process_jobs_per_s_workers_2"] = (ctx.n, 2, runs)
        extras["process_jobs_per_s_workers_4"] = (ctx.n, 4, runs)
        for key, spec in extras.items():
            if spec is None:
                entry[key] = entry["process_jobs_per_s"]
                continue
            n, workers, k = spec
            got = []
            for i in range(k):
                got.append(measures.process(system, ctx, n, best, workers=workers))
                say(f"  [{system.key}] {key} run {i + 1}/{k}: {got[-1]['process_jobs_per_s']:,.0f} jobs/s")
            raw[key] = got
            entry[key] = report.median([g["process_jobs_per_s"] for g in got])
    say(f"  [{system.key}] done in {time.monotonic() - t_start:.0f}s")
    return entry, raw


def run_ceiling(of, ctx, runs, port, workdir, concurrency):
    system = SYSTEMS[of]
    rec = ceiling.record(system, ctx, ctx.n, concurrency, port, workdir)
    say(f"  [ceiling] recorded {of}: {rec['round_trips_per_job']:.3f} round trips/job, "
        f"{rec['replayed']} commands to replay; by command: {rec['commands']}")
    reps = []
    for i in range(runs):
        reps.append(ceiling.replay(system, ctx, ctx.n, rec, port))
        say(f"  [ceiling] replay {i + 1}/{runs}: {reps[-1]['process_jobs_per_s']:,.0f} jobs/s")
    entry = report.empty_entry(
        f"The Redis commands {of}'s worker sent to drain {ctx.n:,} jobs (concurrency {concurrency}), recorded "
        f"with MONITOR and replayed in server order through redis-cli --pipe onto a restored snapshot, with no "
        f"job code (replay verified: no errors, all jobs final). Only process_jobs_per_s applies.")
    entry["process_jobs_per_s"] = report.median([r["process_jobs_per_s"] for r in reps])
    entry["round_trips_per_job"] = rec["round_trips_per_job"]
    raw = {"of": of, "round_trips_per_job": rec["round_trips_per_job"], "commands": rec["commands"],
           "replays": reps}
    return entry, raw


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
    meta = {"machine": machine(r), "mode": "quick" if args.quick else "full", "n": n, "runs": runs,
            "latency_jobs": ctx.latency_n, "latency_interval_ms": ctx.interval_ms, "versions": ver}
    say(f"bench: N={n:,}, {runs} run(s) per measure, systems {', '.join(selected)}; logs in {workdir}")

    results, raw = {}, {}
    t0 = time.monotonic()
    for key in [s for s in ORDER if s in selected]:
        if key in unavailable:
            say(f"[{key}] not available: {unavailable[key]}")
            results[key] = report.empty_entry(f"not available: {unavailable[key]}")
            continue
        say(f"[{key}]")
        try:
            ver["version"] = ver.get(key, "")
            results[key], raw[key] = run_system(SYSTEMS[key], ctx, runs, args.quick, ver)
        except Exception as e:  # noqa: BLE001 - one system failing must not lose the others' numbers
            say(f"[{key}] FAILED: {e}")
            traceback.print_exc()
            results[key] = report.empty_entry(f"failed: {e}")
    if "ceiling" in selected:
        of = args.ceiling_of
        if of in unavailable or of not in results or results[of].get("process_jobs_per_s") is None:
            reason = unavailable.get(of, f"{of} did not run")
            say(f"[ceiling] not available: {reason}")
            results["ceiling"] = report.empty_entry(f"not available: needs {of}'s worker to record ({reason})")
        else:
            say(f"[ceiling] of {of}")
            try:
                conc = raw[of]["best_concurrency"]
                results["ceiling"], raw["ceiling"] = run_ceiling(of, ctx, runs, args.port, workdir, conc)
                if of == "taskqueue":
                    results["taskqueue"]["round_trips_per_job"] = raw["ceiling"]["round_trips_per_job"]
            except Exception as e:  # noqa: BLE001
                say(f"[ceiling] FAILED: {e}")
                traceback.print_exc()
                results["ceiling"] = report.empty_entry(f"failed: {e}")
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
    print(f"wrote {args.json}, {stem}.runs.json, {chart_path}")


if __name__ == "__main__":
    main()
