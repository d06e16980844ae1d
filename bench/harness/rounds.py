"""Interleaved rounds: run i of every system before run i+1 of any, so that load from other work on a shared
machine drifts over all systems alike and the ratios stay fair.

Phase 1, process: per round, every system at every worker setting; right after TaskQueue's runs, one timed replay
of the ceiling per worker setting (each recorded once before the rounds), so ours and its ceiling see the same
load. The ceiling reported is the one recorded at TaskQueue's best setting.
Phase 2, latency and schedule: per round, every system with its best worker setting from phase 1.
Phase 3, TaskQueue's extra curve points: 10k jobs, 2 and 4 workers per round; 1M jobs once (full run only).
A system that fails is reported with its error and skipped from then on; the others go on.
"""
import sys
import time
import traceback

import ceiling
import measures
import report


def say(msg):
    print(msg, file=sys.stderr, flush=True)


class Entry:
    """Everything measured for one system, and whether it is still running."""

    def __init__(self, system):
        self.system = system
        self.key = system.key
        self.process = {c: [] for c in system.concurrencies}
        self.latency, self.schedule, self.extras = [], [], {}
        self.best = system.concurrencies[0]
        self.error = None

    def attempt(self, what, fn):
        if self.error:
            return None
        try:
            return fn()
        except Exception as e:  # noqa: BLE001 - one system failing must not lose the others' numbers
            self.error = f"{what}: {e}"
            say(f"  [{self.key}] FAILED {self.error}")
            traceback.print_exc()
            return None


def run(entries, ctx, runs, quick, port, workdir, ceiling_of):
    """Runs every phase; returns the ceiling's record (or an error text) for the report."""
    # Per worker setting (concurrency) of the recorded system: its recording and its timed replays.
    ceiling_state = {"recordings": {}, "replays": {}, "error": None}
    tq = next((e for e in entries if e.key == ceiling_of), None)
    if tq is not None and ceiling_of is not None:
        for c in tq.system.concurrencies:
            say(f"[ceiling] recording {ceiling_of}'s worker draining {ctx.n:,} jobs at concurrency {c}")
            try:
                rec = ceiling.record(tq.system, ctx, ctx.n, c, port, workdir)
                ceiling_state["recordings"][c] = rec
                ceiling_state["replays"][c] = []
                say(f"  [ceiling] {rec['round_trips_per_job']:.3f} round trips/job, {rec['replayed']} commands to "
                    f"replay; by command: {rec['commands']}")
            except Exception as e:  # noqa: BLE001
                ceiling_state["error"] = str(e)
                say(f"  [ceiling] FAILED {e}")
                traceback.print_exc()
                break

    for r in range(runs):
        for e in entries:
            for c in e.system.concurrencies:
                res = e.attempt("process", lambda: measures.process(e.system, ctx, ctx.n, c))
                if res:
                    e.process[c].append(res)
                    say(f"  [{e.key}] round {r + 1}/{runs} process concurrency={c}: {res['process_jobs_per_s']:,.0f}"
                        f" jobs/s (enqueue {res['enqueue_jobs_per_s']:,.0f}/s, {res['redis_bytes_per_job']:,.0f} B/job)")
            if e is tq and not ceiling_state["error"]:
                for c, recording in ceiling_state["recordings"].items():
                    try:
                        rep = ceiling.replay(tq.system, ctx, ctx.n, recording, port)
                        ceiling_state["replays"][c].append(rep)
                        say(f"  [ceiling] round {r + 1}/{runs} replay (concurrency {c}): "
                            f"{rep['process_jobs_per_s']:,.0f} jobs/s")
                    except Exception as ex:  # noqa: BLE001
                        ceiling_state["error"] = str(ex)
                        say(f"  [ceiling] FAILED {ex}")
                        break
    for e in entries:
        medians = {c: report.median([x["process_jobs_per_s"] for x in v]) for c, v in e.process.items() if v}
        if medians:
            e.best = max(medians, key=medians.get)

    for r in range(runs):
        for e in entries:
            res = e.attempt("latency", lambda: measures.latency(e.system, ctx, e.best))
            if res:
                e.latency.append(res)
                say(f"  [{e.key}] round {r + 1}/{runs} latency: p50 {res['latency_p50_ms']:.2f} ms, "
                    f"p99 {res['latency_p99_ms']:.2f} ms")
            res = e.attempt("schedule", lambda: measures.schedule(e.system, ctx, e.best))
            if res:
                e.schedule.append(res)
                say(f"  [{e.key}] round {r + 1}/{runs} schedule: lateness p99 {res['schedule_lateness_p99_ms']:.1f} ms")

    if tq is not None and tq.key == "taskqueue":
        curve = {"process_jobs_per_s_10k": (10_000, 1), "process_jobs_per_s_workers_2": (ctx.n, 2),
                 "process_jobs_per_s_workers_4": (ctx.n, 4)}
        for r in range(runs):
            for key, (n, workers) in curve.items():
                res = tq.attempt(key, lambda: measures.process(tq.system, ctx, n, tq.best, workers=workers))
                if res:
                    if key == "process_jobs_per_s_10k":
                        warm_pace(res)
                    tq.extras.setdefault(key, []).append(res)
                    say(f"  [{tq.key}] round {r + 1}/{runs} {key}: {res['process_jobs_per_s']:,.0f} jobs/s{whole(res)}")
        if not quick:
            res = tq.attempt("1M", lambda: measures.process(tq.system, ctx, 1_000_000, tq.best))
            if res:
                warm_pace(res)
                tq.extras["process_jobs_per_s_1m"] = [res]
                say(f"  [{tq.key}] process_jobs_per_s_1m: {res['process_jobs_per_s']:,.0f} jobs/s{whole(res)}")
    return ceiling_state


def warm_pace(res):
    """For the queue-depth points: report the pace after the worker's warm-up, keep the whole run's beside it."""
    res["whole_run_jobs_per_s"] = res["process_jobs_per_s"]
    if res["warm_jobs_per_s"]:
        res["process_jobs_per_s"] = res["warm_jobs_per_s"]


def whole(res):
    """The whole run's pace, for a point reported at its warm pace."""
    return f" after the first {measures.WARMUP_JOBS:,} (whole run {res['whole_run_jobs_per_s']:,.0f})" \
        if "whole_run_jobs_per_s" in res else ""


def summarize(e, ver):
    """The JSON entry of one system: medians of its runs, and its notes."""
    notes = e.system.notes.format(c=e.best, **ver) + f" Kept per finished job: {e.system.kept}."
    main = e.process.get(e.best, [])
    all_process = [x for v in e.process.values() for x in v]
    entry = {
        "enqueue_jobs_per_s": report.median([x["enqueue_jobs_per_s"] for x in all_process]),
        "process_jobs_per_s": report.median([x["process_jobs_per_s"] for x in main]),
        "latency_p50_ms": report.median([x["latency_p50_ms"] for x in e.latency]),
        "latency_p99_ms": report.median([x["latency_p99_ms"] for x in e.latency]),
        "schedule_lateness_p99_ms": report.median([x["schedule_lateness_p99_ms"] for x in e.schedule]),
        "redis_bytes_per_job": report.median([x["redis_bytes_per_job"] for x in main]),
        "notes": notes + (f" FAILED during {e.error}" if e.error else ""),
    }
    if e.key == "taskqueue":
        entry["commands_per_job"] = report.median([x["commands_per_job"] for x in main])
        entry["process_jobs_per_s_workers_1"] = entry["process_jobs_per_s"]
        for key, runs in e.extras.items():
            entry[key] = report.median([x["process_jobs_per_s"] for x in runs])
    raw = {"best_concurrency": e.best, "process": {str(c): v for c, v in e.process.items()},
           "latency": e.latency, "schedule": e.schedule, **e.extras, "error": e.error}
    return entry, raw


def summarize_ceiling(state, of, n, concurrency):
    """The ceiling at `concurrency`, the recorded system's best worker setting."""
    replays = state["replays"].get(concurrency)
    if state["error"] or not replays:
        return report.empty_entry(f"failed: {state['error'] or 'no replay ran'}"), {"error": state["error"]}
    rec = state["recordings"][concurrency]
    entry = report.empty_entry(
        f"The Redis commands {of}'s worker sent to drain {n:,} jobs (concurrency {concurrency}), recorded with "
        f"MONITOR and replayed in server order through redis-cli --pipe onto a restored snapshot, with no job "
        f"code (each replay verified: no errors, all jobs final); one replay per round, right after {of}'s own "
        f"process run. Only process_jobs_per_s applies.")
    entry["process_jobs_per_s"] = report.median([x["process_jobs_per_s"] for x in replays])
    entry["round_trips_per_job"] = rec["round_trips_per_job"]
    raw = {"of": of, "concurrency": concurrency, "round_trips_per_job": rec["round_trips_per_job"],
           "commands": rec["commands"], "replays": {str(c): v for c, v in state["replays"].items()},
           "round_trips_per_job_by_concurrency": {str(c): x["round_trips_per_job"]
                                                  for c, x in state["recordings"].items()}}
    return entry, raw
