"""Reading the one Redis server every system shares: counts, memory, command statistics, snapshots."""
import redis


def connect(url):
    # One socket, pipelines included, so the harness's own commands come from one known client address
    # (ceiling.py leaves it out of the recording). The harness is single-threaded, so nothing waits on it.
    return redis.Redis(connection_pool=redis.BlockingConnectionPool.from_url(url, max_connections=1))


def count(r, queries):
    """Sum of (command, key) queries such as ("zcard", "rq:finished:default") or ("get", counter)."""
    pipe = r.pipeline(transaction=False)
    for command, key in queries:
        if command == "zcard":
            pipe.zcard(key)
        elif command == "llen":
            pipe.llen(key)
        elif command == "get":
            pipe.get(key)
        else:
            raise ValueError(command)
    return sum(int(v or 0) for v in pipe.execute())


def used_memory(r):
    return int(r.info("memory")["used_memory"])


def commandstats(r):
    """Calls per command since the last CONFIG RESETSTAT. Redis counts commands run inside scripts too."""
    stats = r.info("commandstats")
    return {name[len("cmdstat_"):]: int(v["calls"]) for name, v in stats.items()}


def calls_between(before, after):
    return sum(after.get(k, 0) - before.get(k, 0) for k in after)


def client_addr(r):
    return r.execute_command("CLIENT", "INFO").decode().split(" addr=")[1].split(" ")[0]


def snapshot(r):
    """Every key as (key, pttl, DUMP payload), to put the server back in this state later."""
    keys = list(r.scan_iter(count=1000))
    out = []
    for i in range(0, len(keys), 1000):
        chunk = keys[i:i + 1000]
        pipe = r.pipeline(transaction=False)
        for k in chunk:
            pipe.pttl(k)
            pipe.dump(k)
        values = pipe.execute()
        out.extend((k, values[2 * j], values[2 * j + 1]) for j, k in enumerate(chunk))
    return out


def restore(r, snap):
    for i in range(0, len(snap), 1000):
        pipe = r.pipeline(transaction=False)
        for key, pttl, payload in snap[i:i + 1000]:
            pipe.restore(key, max(int(pttl), 0), payload, replace=True)
        pipe.execute()
