"""What the interop scripts share: the connection, the serializer, and JSON out."""
import json
import sys
import warnings

from redis import Redis
from rq.serializers import DefaultSerializer, JSONSerializer

# job.result and job.exc_info are deprecated in RQ 1.12+, but they are part of the API the tests check.
warnings.simplefilter("ignore", DeprecationWarning)


def connect(url):
    return Redis.from_url(url)


def serializer(name):
    """'json' (RQ's JSONSerializer, what TaskQueue reads and writes) or 'pickle' (RQ's default)."""
    return {"json": JSONSerializer, "pickle": DefaultSerializer}[name]


def emit(value):
    sys.stdout.write(json.dumps(value, default=str) + "\n")
    sys.stdout.flush()
