"""Job functions for the RQ runner. The worker imports them by name (bench_jobs.noop, bench_jobs.stamp)."""
import time

from rq import get_current_job


def noop():
    """The no-op job every throughput measurement runs."""


def stamp(ref_ms):
    """Record how late this job started: (start - ref) in ms, pushed onto bench:stamps for the harness."""
    started = time.time() * 1000.0
    get_current_job().connection.rpush("bench:stamps", repr(started - ref_ms))
