"""count: every worker adds to one shared counter (the book's "Synchronizing file and variable
access"). The Python form has the book's Redis counter (ex3): INCRBY on the run's own key, which
parbench made, resets and reads, so that what arrived is judged exactly as for the native workers.
The other counters keep their count in native memory or files that parbench reads: no Python form
yet.
"""

import os

from .errors import Unreachable


class _Adds:
    """A picklable run_range(begin, end): one INCRBY of `batch` per item, on a connection made in
    the worker after the fork."""

    def __init__(self, url, key, batch):
        self.url, self.key, self.batch = url, key, batch
        self.pid, self.client = None, None

    def __getstate__(self):
        return {"url": self.url, "key": self.key, "batch": self.batch}

    def __setstate__(self, state):
        self.__init__(state["url"], state["key"], state["batch"])

    def __call__(self, begin, end):
        if self.pid != os.getpid():
            import redis
            self.client = redis.Redis.from_url(self.url, socket_timeout=1.5)
            self.pid = os.getpid()
        for _ in range(begin, end):
            self.client.incrby(self.key, self.batch)
        return (end - begin) * self.batch, end - begin


class Kernel:
    reduction = "sum"

    def __init__(self, cfg, _ctx):
        p = cfg["params_map"]
        if cfg["ipc"] != "redis":
            raise Unreachable(f"the python count has the redis counter only, not {cfg['ipc']}")
        if p.get("think_ns", "0") != "0":
            raise Unreachable("the python count has no --think-ns")
        join = cfg.get("join") or {}
        if not join.get("url") or not join.get("key"):
            raise Unreachable("the python redis counter needs the run's Redis key")
        self.size = cfg["size"]
        self.run_range = _Adds(join["url"], join["key"], int(p["batch"]))

    def before_run(self):
        pass  # parbench resets the key (SET 0) before every repetition

    def close(self):
        pass
