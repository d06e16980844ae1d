"""RQ runner for the benchmark harness (bench/harness). One command per process, one JSON line out.

    runner.py enqueue  --url redis://127.0.0.1:PORT --n N           Queue.enqueue_many of N no-op jobs, timed
    runner.py worker   --url ... [--burst] [--scheduler]             SimpleWorker; prints {"ready": ...} first
    runner.py latency  --url ... --n 1000 --interval-ms 5           stamp jobs enqueued one at a time
    runner.py schedule --url ... --n 1000 --min-ms 1000 --max-ms 3000   stamp jobs via enqueue_at

Runs under Debian's python3 (/usr/bin/python3) with python3-rq 1.13. Every job and the worker use
RQ's JSONSerializer, so the stored job data matches what TaskQueue writes (design.md, section 3).
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from redis import Redis  # noqa: E402
from rq import Queue, SimpleWorker  # noqa: E402
from rq.serializers import JSONSerializer  # noqa: E402

import bench_jobs  # noqa: E402

QUEUE = "default"


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def queue(args):
    return Queue(QUEUE, connection=Redis.from_url(args.url), serializer=JSONSerializer)


def enqueue(args):
    q = queue(args)
    datas = [Queue.prepare_data(bench_jobs.noop) for _ in range(args.n)]
    t0 = time.perf_counter()
    q.enqueue_many(datas)
    seconds = time.perf_counter() - t0
    emit({"jobs": args.n, "seconds": seconds, "jobs_per_s": args.n / seconds})


def worker(args):
    connection = Redis.from_url(args.url)
    q = Queue(QUEUE, connection=connection, serializer=JSONSerializer)
    w = SimpleWorker([q], connection=connection, serializer=JSONSerializer)
    emit({"ready": time.time()})
    # WARNING keeps RQ from logging two lines per job; the log level is a documented worker option (-q).
    w.work(burst=args.burst, with_scheduler=args.scheduler, logging_level="WARNING")


def latency(args):
    q = queue(args)
    for _ in range(args.n):
        q.enqueue(bench_jobs.stamp, time.time() * 1000.0)
        time.sleep(args.interval_ms / 1000.0)
    emit({"enqueued": args.n})


def schedule(args):
    q = queue(args)
    for _ in range(args.n):
        due_ms = time.time() * 1000.0 + random.uniform(args.min_ms, args.max_ms)
        q.enqueue_at(datetime.fromtimestamp(due_ms / 1000.0, tz=timezone.utc), bench_jobs.stamp, due_ms)
    emit({"scheduled": args.n})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["enqueue", "worker", "latency", "schedule"])
    parser.add_argument("--url", required=True)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=1, help="ignored: an RQ worker runs one job at a time")
    parser.add_argument("--burst", action="store_true")
    parser.add_argument("--scheduler", action="store_true")
    parser.add_argument("--interval-ms", type=float, default=5.0)
    parser.add_argument("--min-ms", type=float, default=1000.0)
    parser.add_argument("--max-ms", type=float, default=3000.0)
    args = parser.parse_args()
    globals()[args.command](args)


if __name__ == "__main__":
    main()
