"""Runner processes: one-shot commands, and workers that announce themselves and are stopped by signal."""
import json
import os
import select
import signal
import subprocess
import threading
import time


class RunnerError(RuntimeError):
    pass


# Process groups of workers not yet stopped. run.sh kills what is left in this file on exit, should the harness
# itself be killed; a stopped worker leaves the file at once, so a reused id is never signalled.
_LIVE = set()


def _write_live(path):
    with open(path, "w") as f:
        f.writelines(f"{pid}\n" for pid in sorted(_LIVE))


def run_command(argv, timeout, log_path):
    """Run a one-shot runner command and return its last JSON line."""
    with open(log_path, "ab") as log:
        log.write(("$ " + " ".join(argv) + "\n").encode())
        log.flush()
        try:
            done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=log, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise RunnerError(f"{argv[1] if len(argv) > 1 else argv[0]} timed out after {timeout}s") from e
    out = done.stdout.decode(errors="replace").strip().splitlines()
    if done.returncode != 0 or not out:
        raise RunnerError(f"{' '.join(argv[:2])} exited {done.returncode}; see {log_path}")
    return json.loads(out[-1])


class Worker:
    """A worker process, in its own process group so its children (RQ's scheduler) stop with it."""

    def __init__(self, argv, log_path):
        self.log = open(log_path, "ab")
        self.log.write(("$ " + " ".join(argv) + "\n").encode())
        self.log.flush()
        self.spawned = time.monotonic()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True)
        self.ready_at = None
        self.pids_path = os.path.join(os.path.dirname(log_path), "worker-pids")
        _LIVE.add(self.proc.pid)
        _write_live(self.pids_path)

    def wait_ready(self, timeout):
        """Block until the worker prints its ready line; returns the harness's monotonic time of it."""
        deadline = time.monotonic() + timeout
        buf = b""
        fd = self.proc.stdout.fileno()
        while time.monotonic() < deadline:
            if self.proc.poll() is not None and not select.select([fd], [], [], 0)[0]:
                raise RunnerError(f"worker exited {self.proc.returncode} before it was ready")
            if not select.select([fd], [], [], 0.05)[0]:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                continue
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                self.log.write(line + b"\n")
                try:
                    if "ready" in json.loads(line):
                        self.ready_at = time.monotonic()
                        threading.Thread(target=self._drain, daemon=True).start()
                        return self.ready_at
                except ValueError:
                    pass
        raise RunnerError(f"worker not ready within {timeout}s")

    def _drain(self):
        for line in self.proc.stdout:
            self.log.write(line)

    def running(self):
        return self.proc.poll() is None

    def stop(self, grace=20):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
            # Children the worker left behind (RQ's scheduler) share its group; the id cannot have been
            # reused while any of them lives.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _LIVE.discard(self.proc.pid)
        _write_live(self.pids_path)
        self.log.close()


def stop_all(workers):
    for w in workers:
        try:
            w.stop()
        except Exception:  # noqa: BLE001 - stopping must go on for the others
            pass
