"""Reads jobs the way an RQ user would: inspect_job.py URL [--serializer json|pickle] ID...

Prints one JSON object per job with what RQ's own API returns: get_status(), return_value(), result,
exc_info, latest_result(), meta, the options RQ restored from the hash, the registry that holds the id,
and the key's TTL. {"id": ..., "exists": false} when RQ finds no such job.
"""
import argparse

from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.registry import (CanceledJobRegistry, DeferredJobRegistry, FailedJobRegistry, FinishedJobRegistry,
                         ScheduledJobRegistry, StartedJobRegistry)

from rqjson import connect, emit, serializer

REGISTRIES = {"started": StartedJobRegistry, "finished": FinishedJobRegistry, "failed": FailedJobRegistry,
              "deferred": DeferredJobRegistry, "scheduled": ScheduledJobRegistry, "canceled": CanceledJobRegistry}


def describe(connection, job_id, serializer_class):
    try:
        job = Job.fetch(job_id, connection=connection, serializer=serializer_class)
    except NoSuchJobError:
        return {"id": job_id, "exists": False}
    latest = job.latest_result()
    in_registries = [name for name, registry in REGISTRIES.items()
                     if connection.zscore(registry(job.origin, connection=connection).key, job_id) is not None]
    queued = job_id.encode() in connection.lrange("rq:queue:" + job.origin, 0, -1)
    return {
        "id": job.id,
        "exists": True,
        "status": job.get_status(),
        "func_name": job.func_name,
        "args": list(job.args),
        "kwargs": job.kwargs,
        "return_value": job.return_value(),
        "result": job.result,
        "exc_info": job.exc_info,
        "latest_result": None if latest is None else {
            "type": latest.type.name, "return_value": latest.return_value, "exc_string": latest.exc_string},
        "meta": job.get_meta(),
        "description": job.description,
        "origin": job.origin,
        "timeout": job.timeout,
        "result_ttl": job.result_ttl,
        "failure_ttl": job.failure_ttl,
        "ttl": job.ttl,
        "retries_left": job.retries_left,
        "retry_intervals": job.retry_intervals,
        "dependency_ids": job._dependency_ids,
        "worker_name": job.worker_name,
        "created_at": job.created_at,
        "enqueued_at": job.enqueued_at,
        "started_at": job.started_at,
        "ended_at": job.ended_at,
        "registries": in_registries,
        "in_queue": queued,
        "key_ttl": connection.ttl(job.key),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--serializer", default="json")
    parser.add_argument("ids", nargs="+")
    args = parser.parse_args()
    connection = connect(args.url)
    for job_id in args.ids:
        emit(describe(connection, job_id, serializer(args.serializer)))


if __name__ == "__main__":
    main()
