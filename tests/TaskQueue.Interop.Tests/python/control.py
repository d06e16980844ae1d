"""RQ's control API on the shared queues: control.py URL COMMAND [ARGS].

  stop-job ID             rq.command.send_stop_job_command
  shutdown WORKER         rq.command.send_shutdown_command
  clean-registries QUEUE  rq.registry.clean_registries (what an RQ worker's maintenance runs)
  workers                 Worker.all(): name, state, queues, current job, as RQ reads them
Prints one JSON object.
"""
import sys

from rq import Queue, Worker
from rq.command import send_shutdown_command, send_stop_job_command
from rq.registry import StartedJobRegistry, clean_registries
from rq.serializers import JSONSerializer

from rqjson import connect, emit


def main():
    connection, command, args = connect(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if command == "stop-job":
        send_stop_job_command(connection, args[0], serializer=JSONSerializer)
        emit({"sent": "stop-job", "job_id": args[0]})
    elif command == "shutdown":
        send_shutdown_command(connection, args[0])
        emit({"sent": "shutdown", "worker": args[0]})
    elif command == "clean-registries":
        queue = Queue(args[0], connection=connection, serializer=JSONSerializer)
        expired = StartedJobRegistry(queue=queue).get_expired_job_ids()
        clean_registries(queue)
        emit({"expired_started": expired})
    elif command == "workers":
        emit([{"name": w.name, "state": w.get_state(), "queues": w.queue_names(), "pid": w.pid,
               "current_job": w.get_current_job_id(), "successful": w.successful_job_count,
               "failed": w.failed_job_count} for w in Worker.all(connection=connection)])
    else:
        sys.exit("unknown command " + command)


if __name__ == "__main__":
    main()
