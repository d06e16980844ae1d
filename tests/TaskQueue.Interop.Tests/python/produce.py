"""Enqueues jobs with Python RQ: produce.py URL SPEC_JSON, where SPEC_JSON is one job or a list of them.

A job spec: {"func": "interop_tasks.add", "args": [...], "kwargs": {...}, "queue": "default",
"serializer": "json" | "pickle", and RQ's options as RQ names them: "job_id", "description", "meta",
"timeout", "result_ttl", "failure_ttl", "ttl", "at_front", "depends_on" (an id or a list),
"retry": {"max": 2, "interval": [1, 2]}, "enqueue_in" (seconds), "on_success" / "on_failure" (a function's
dotted name)}.
Prints one JSON object per job: {"id": ..., "status": ...}.
"""
import json
import sys
from datetime import timedelta

from rq import Queue, Retry
from rq.utils import import_attribute

from rqjson import connect, emit, serializer

OPTIONS = ("job_id", "description", "meta", "result_ttl", "failure_ttl", "ttl", "at_front", "depends_on")


def enqueue(connection, spec):
    queue = Queue(spec.get("queue", "default"), connection=connection, serializer=serializer(spec.get("serializer", "json")))
    options = {name: spec[name] for name in OPTIONS if name in spec}
    if "timeout" in spec:
        options["job_timeout"] = spec["timeout"]
    for callback in ("on_success", "on_failure"):
        if callback in spec:
            options[callback] = import_attribute(spec[callback])
    if "retry" in spec:
        options["retry"] = Retry(max=spec["retry"]["max"], interval=spec["retry"].get("interval", 0))
    args, kwargs = spec.get("args", []), spec.get("kwargs", {})
    if "enqueue_in" in spec:
        job = queue.enqueue_in(timedelta(seconds=spec["enqueue_in"]), spec["func"], *args, **kwargs, **options)
    else:
        job = queue.enqueue_call(spec["func"], args=args, kwargs=kwargs,
                                 timeout=options.pop("job_timeout", None), **options)
    return {"id": job.id, "status": job.get_status(refresh=False)}


def main():
    connection = connect(sys.argv[1])
    specs = json.loads(sys.argv[2])
    for spec in specs if isinstance(specs, list) else [specs]:
        emit(enqueue(connection, spec))


if __name__ == "__main__":
    main()
