"""The ceiling: the Redis commands a worker sent for N jobs, replayed with no job code and no client logic.

1. Fill the queue with N jobs and snapshot every key (DUMP).
2. Record the worker draining it with MONITOR (untimed; MONITOR slows the server). MONITOR tags commands
   that scripts run as "[0 lua]", so the worker's own commands, its round trips, are exactly countable.
3. Put the snapshot back and pipe the recorded commands, in the server's order, through `redis-cli --pipe`.
   The replay is checked: no errors, and all N jobs final again. N / replay time is the ceiling.

Blocking reads in the replay get a 1 ms timeout (the recorded ones may have waited for work that, in the
replay, is already there); commands that change a connection's mode (HELLO, SUBSCRIBE, CLIENT ...) are left
out of the replay but counted as round trips, and so are client handshakes that fail on a standalone server
(CLUSTER NODES/SLOTS from StackExchange.Redis), which would otherwise count as replay errors.
"""
import re
import subprocess
import time

import procs
import redisio

LINE = re.compile(rb"^(\d+\.\d+) \[(\d+) ([^\]]+)\] (.*)$")
ESCAPES = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("a"): b"\a", ord("b"): b"\b",
           ord("\\"): b"\\", ord('"'): b'"'}
SKIP = {b"hello", b"client", b"subscribe", b"psubscribe", b"ssubscribe", b"unsubscribe", b"punsubscribe",
        b"sunsubscribe", b"auth", b"select", b"quit", b"reset", b"monitor", b"wait", b"readonly", b"cluster"}
TIMEOUT_LAST = {b"blpop", b"brpop", b"blmove", b"brpoplpush", b"bzpopmin", b"bzpopmax"}
TIMEOUT_FIRST = {b"blmpop", b"bzmpop"}


def parse_args(text):
    """Split MONITOR's quoted, sdscatrepr-escaped arguments back into bytes."""
    args, i, n = [], 0, len(text)
    while i < n:
        if text[i] != ord('"'):
            i += 1
            continue
        i += 1
        out = bytearray()
        while i < n and text[i] != ord('"'):
            c = text[i]
            if c == ord("\\") and i + 1 < n:
                nxt = text[i + 1]
                if nxt == ord("x") and i + 3 < n:
                    out.append(int(text[i + 2:i + 4], 16))
                    i += 4
                    continue
                out += ESCAPES.get(nxt, bytes([nxt]))
                i += 2
                continue
            out.append(c)
            i += 1
        args.append(bytes(out))
        i += 1
    return args


def client_commands(path, exclude_addrs):
    """The commands clients sent (not scripts, not the harness), in the order the server ran them."""
    commands = []
    with open(path, "rb") as f:
        for raw in f:
            m = LINE.match(raw.rstrip(b"\r\n"))
            if not m:
                continue
            addr = m.group(3).decode()
            if addr == "lua" or addr in exclude_addrs:
                continue
            commands.append(parse_args(m.group(4)))
    return commands


def replayable(args):
    name = args[0].lower()
    if name in SKIP:
        return None
    if name in TIMEOUT_LAST:
        return args[:-1] + [b"0.001"]
    if name in TIMEOUT_FIRST:
        return [args[0], b"0.001"] + args[2:]
    if name in (b"xread", b"xreadgroup"):
        return [b"1" if i > 0 and args[i - 1].lower() == b"block" else a for i, a in enumerate(args)]
    return args


def resp(commands):
    out = bytearray()
    for args in commands:
        out += b"*%d\r\n" % len(args)
        for a in args:
            out += b"$%d\r\n%s\r\n" % (len(a), a)
    return bytes(out)


def record(system, ctx, n, concurrency, port, workdir):
    """Run one recorded drain of n jobs; returns the replay file, the snapshot and the round trips."""
    r = ctx.r
    r.flushall()
    procs.run_command(system.runner + ["enqueue", "--url", ctx.url, "--n", str(n)],
                      timeout=60 + n / 200, log_path=ctx.log(system, "enqueue"))
    snap = redisio.snapshot(r)
    mon_path = f"{workdir}/{system.key}-c{concurrency}-monitor.txt"
    with open(mon_path, "wb") as out:
        mon = subprocess.Popen(["redis-cli", "-p", str(port), "monitor"], stdout=out, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while open(mon_path, "rb").read(2) != b"OK":
            if time.monotonic() > deadline:
                raise procs.RunnerError("MONITOR did not start")
            time.sleep(0.01)
        worker = procs.Worker(system.runner + ["worker", "--url", ctx.url, "--concurrency", str(concurrency)]
                              + (["--burst"] if system.burst_flag else []), ctx.log(system, "worker"))
        try:
            worker.wait_ready(120)
            limit = time.monotonic() + 300 * ctx.deadline_factor
            while redisio.count(r, system.finished) < n:
                if time.monotonic() > limit:
                    raise procs.RunnerError("recorded drain did not finish")
                time.sleep(0.01)
        finally:
            worker.stop()
    finally:
        mon.terminate()
        mon.wait(10)
    commands = client_commands(mon_path, {redisio.client_addr(r)})
    replay = [c for c in (replayable(a) for a in commands) if c]
    replay_path = f"{workdir}/{system.key}-c{concurrency}-replay.resp"
    with open(replay_path, "wb") as f:
        f.write(resp(replay))
    names = {}
    for a in commands:
        names[a[0].lower().decode()] = names.get(a[0].lower().decode(), 0) + 1
    return {"replay_path": replay_path, "snapshot": snap, "round_trips_per_job": len(commands) / n,
            "commands": names, "replayed": len(replay)}


def replay(system, ctx, n, recording, port):
    """One timed replay of a recording against the restored snapshot; returns jobs/s."""
    r = ctx.r
    r.flushall()
    redisio.restore(r, recording["snapshot"])
    with open(recording["replay_path"], "rb") as f:
        t0 = time.monotonic()
        done = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=f, capture_output=True, timeout=600)
        seconds = time.monotonic() - t0
    summary = done.stdout.decode(errors="replace")
    m = re.search(r"errors: (\d+), replies: (\d+)", summary)
    if done.returncode != 0 or not m or m.group(1) != "0":
        raise procs.RunnerError(f"replay failed: {summary.strip()[-300:]}")
    final = redisio.count(r, system.finished)
    if final < n:
        raise procs.RunnerError(f"replay left {final}/{n} jobs final")
    return {"process_jobs_per_s": n / seconds, "replay_seconds": seconds}
