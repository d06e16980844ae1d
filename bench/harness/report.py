"""Medians, the results JSON, the ratio table, and the targets the team must reach."""
import statistics

METRICS = [
    # key, label, higher is better
    ("enqueue_jobs_per_s", "enqueue jobs/s", True),
    ("process_jobs_per_s", "process jobs/s", True),
    ("latency_p50_ms", "latency p50 ms", False),
    ("latency_p99_ms", "latency p99 ms", False),
    ("schedule_lateness_p99_ms", "schedule late p99 ms", False),
    ("redis_bytes_per_job", "redis bytes/job", False),
]
SYSTEM_KEYS = ["taskqueue", "bullmq", "rq", "hangfire", "ceiling"]
PEERS = ["bullmq", "rq", "hangfire"]


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def empty_entry(notes):
    entry = {key: None for key, _, _ in METRICS}
    entry["notes"] = notes
    return entry


def _fmt(v):
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def _ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    return f"{a / b:.2f}x"


def table(results):
    """Each metric per system, then TaskQueue's value over each peer's (x / peer)."""
    cols = SYSTEM_KEYS + [f"tq/{p}" for p in PEERS]
    rows = []
    for key, label, _ in METRICS:
        vals = [results.get(s, {}).get(key) for s in SYSTEM_KEYS]
        tq = results.get("taskqueue", {}).get(key)
        rows.append([label] + [_fmt(v) for v in vals] + [_ratio(tq, results.get(p, {}).get(key)) for p in PEERS])
    tq = results.get("taskqueue", {})
    for key, label in [("round_trips_per_job", "round trips/job"), ("commands_per_job", "commands/job (incl. Lua)"),
                       ("process_jobs_per_s_10k", "process jobs/s @10k, warm"), ("process_jobs_per_s_1m", "process jobs/s @1M, warm"),
                       ("process_jobs_per_s_workers_2", "process jobs/s 2 workers"),
                       ("process_jobs_per_s_workers_4", "process jobs/s 4 workers")]:
        if key in tq or key in results.get("ceiling", {}):
            rows.append([label, _fmt(tq.get(key)), "", "", "", _fmt(results.get("ceiling", {}).get(key)), "", "", ""])
    widths = [max(len(str(r[i])) for r in rows + [["metric"] + cols]) for i in range(len(cols) + 1)]
    line = lambda r: "  ".join(str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    return "\n".join([line(["metric"] + cols), line(["-" * w for w in widths])] + [line(r) for r in rows])


def targets(results):
    """The team's targets (issue #5) as (name, measured ratio or value, goal, verdict)."""
    tq = results.get("taskqueue", {})
    get = lambda s, k: results.get(s, {}).get(k)
    out = []

    def check(name, value, goal, ok):
        verdict = "n/a" if value is None else ("PASS" if ok(value) else "FAIL")
        out.append((name, value, goal, verdict))

    def ratio(a, b):
        return None if a is None or b in (None, 0) else a / b

    for peer, goal in [("bullmq", 4), ("hangfire", 20), ("rq", 60)]:
        check(f"process vs {peer}", ratio(tq.get("process_jobs_per_s"), get(peer, "process_jobs_per_s")),
              f">= {goal}x", lambda v, g=goal: v >= g)
    check("enqueue vs bullmq", ratio(tq.get("enqueue_jobs_per_s"), get("bullmq", "enqueue_jobs_per_s")),
          ">= 8x", lambda v: v >= 8)
    check("latency p99 vs bullmq", ratio(tq.get("latency_p99_ms"), get("bullmq", "latency_p99_ms")),
          "<= 0.5x", lambda v: v <= 0.5)
    check("schedule lateness p99 ms", tq.get("schedule_lateness_p99_ms"), "<= 10", lambda v: v <= 10)
    peers = [get(p, "redis_bytes_per_job") for p in PEERS if get(p, "redis_bytes_per_job") is not None]
    check("bytes/job vs smallest peer", ratio(tq.get("redis_bytes_per_job"), min(peers) if peers else None),
          "<= 1x", lambda v: v <= 1)
    check("process vs ceiling", ratio(tq.get("process_jobs_per_s"), get("ceiling", "process_jobs_per_s")),
          ">= 0.5x", lambda v: v >= 0.5)
    check("round trips/job (busy)", tq.get("round_trips_per_job"), "<= 0.1", lambda v: v <= 0.1)
    # Flat from 10k to 1M queued jobs (the 1M point is measured in full runs only).
    check("process @1M vs @10k", ratio(tq.get("process_jobs_per_s_1m"), tq.get("process_jobs_per_s_10k")),
          "0.9-1.1x", lambda v: 0.9 <= v <= 1.1)
    return out


def targets_text(results):
    lines = ["target                       measured     goal      verdict"]
    for name, value, goal, verdict in targets(results):
        lines.append(f"{name:<28} {_fmt(value):>9}    {goal:<9} {verdict}")
    return "\n".join(lines)


def markdown(results, meta):
    """The table and the targets as Markdown, for bench/README.md."""
    m = meta["machine"]
    out = [f"{meta['mode'].capitalize()} run of {m['date']}: N={meta['n']:,}, median of {meta['runs']}, "
           f"{m['cpu']} ({m['cores']} cores, shared), {m['memory_gib']} GiB, Redis {m['redis']}, "
           f"{meta.get('seconds', '?')} s.", ""]
    cols = SYSTEM_KEYS + [f"tq/{p}" for p in PEERS]
    out.append("| metric | " + " | ".join(cols) + " |")
    out.append("| --- |" + " ---: |" * len(cols))
    tq = results.get("taskqueue", {})
    for key, label, _ in METRICS:
        vals = [_fmt(results.get(s, {}).get(key)) for s in SYSTEM_KEYS]
        ratios = [_ratio(tq.get(key), results.get(p, {}).get(key)) for p in PEERS]
        out.append(f"| {label} | " + " | ".join(vals + ratios) + " |")
    extra = [("round_trips_per_job", "round trips/job (busy)"), ("commands_per_job", "commands/job incl. Lua"),
             ("process_jobs_per_s_10k", "process jobs/s @10k, warm"), ("process_jobs_per_s_1m", "process jobs/s @1M, warm"),
             ("process_jobs_per_s_workers_1", "process jobs/s, 1 worker"),
             ("process_jobs_per_s_workers_2", "process jobs/s, 2 workers"),
             ("process_jobs_per_s_workers_4", "process jobs/s, 4 workers")]
    for key, label in extra:
        if key in tq:
            out.append(f"| {label} | {_fmt(tq.get(key))} |" + " |" * (len(cols) - 1))
    out += ["", "| target | measured | goal | verdict |", "| --- | ---: | --- | --- |"]
    for name, value, goal, verdict in targets(results):
        out.append(f"| {name} | {_fmt(value)} | {goal} | {verdict} |")
    return "\n".join(out) + "\n"
