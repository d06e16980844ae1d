"""Task functions both sides know by the same name.

`rq worker` imports them from this module (the tests put this folder on PYTHONPATH); TaskQueue's worker runs
the C# twins registered under the same names (tests/TaskQueue.TestTasks/InteropTasks.cs). A job enqueued by
either side can so run on either side, and the results compare equal.
"""
import os
import time
import uuid

from rq import get_current_job


def add(x, y):
    return x + y


def shape(text, numbers, options=None):
    """Binds a string, a list and an optional object; returns all three, transformed."""
    return {"text": text.upper(), "total": sum(numbers), "options": options}


def fail(message):
    raise ValueError(message)


def sleep(seconds):
    time.sleep(seconds)
    return "slept"


def nothing():
    """Returns None: a finished job without a result."""


def flaky(path, failures):
    """Fails the first `failures` calls, counted in the file at `path`, then returns how many tries it took."""
    count = int(open(path).read()) if os.path.exists(path) else 0
    count += 1
    with open(path, "w") as f:
        f.write(str(count))
    if count <= failures:
        raise RuntimeError("flaky failure %d of %d" % (count, failures))
    return count


def mark(folder, key, seconds=0):
    """Leaves one file per run in `folder` named after `key` and this side, so a test counts the runs of each job."""
    time.sleep(seconds)
    open(os.path.join(folder, "%s.python.%s" % (key, uuid.uuid4().hex)), "w").close()
    return "python"


def job_meta():
    """The running job's meta, as the worker hands it to the task."""
    return get_current_job().meta


def progress(gate):
    """Reports progress through the job's meta: saves step 1, waits for the file `gate`, then saves step 2."""
    job = get_current_job()
    job.meta["step"] = 1
    job.save_meta()
    while not os.path.exists(gate):
        time.sleep(0.05)
    job.meta["step"] = 2
    job.meta["note"] = "almost done"
    job.save_meta()
    return "done"


def record_success(job, connection, result, *args, **kwargs):
    """A success callback only Python has: TaskQueue's worker refuses a job that names it, before running it."""
    job.meta["callback"] = result
    job.save_meta()


def python_only():
    """No TaskQueue task has this name: TaskQueue's worker fails the job with a readable reason."""
    return "ran in python"
