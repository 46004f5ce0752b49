"""count: every worker adds to one shared counter (the book's "Synchronizing file and variable
access"), --increments times in adds of --batch. The book's counters, under parbench's --ipc names:

shm             multiprocessing.RawValue, `value += k` with no lock (the negative control)
shm-value       multiprocessing.Value: its own lock is taken for the read and again for the write
                of `value.value += k`, so updates are still lost (the book's surprise)
shm-value-lock  Value inside a Lock (the book's fix: two locks)
shm-mutex       RawValue inside a Lock (the book's RawValue + Lock)
file            a number in a file, read and rewritten with no lock (the negative control)
file-truncate   the same as the book writes it: open(name, "w") truncates before the write, so a
                reader in between may find the file empty (counted as 0)
file-flock      the file under fcntl.flock
file-fcntl      the file under fcntl.lockf (the book's), a POSIX record lock
redis           INCRBY on the run's own key, which parbench resets and reads

With --lock-scope all a locked counter holds its lock once around a worker's whole loop (the book's
decorator). The counters kept here report what they reached after each repetition; parbench puts
it into its native counter, which judges it (lost updates) as for the native workers.
"""

import fcntl
import os
import tempfile

from .errors import Unreachable

_COUNTER = None  # made before the pool forks, so every worker inherits it


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class ValueCounter:
    def __init__(self, ctx, raw, lock):
        self.v = ctx.RawValue("Q", 0) if raw else ctx.Value("Q", 0)
        self.lock = ctx.Lock() if lock else _NoLock()

    def held(self):
        return self.lock

    def add(self, k):
        self.v.value += k

    def value(self):
        return self.v.value

    def reset(self):
        self.v.value = 0

    def close(self):
        pass


def _number(text):
    """What a file holds; 0 for what no lock kept whole (empty, or a write's hole of NULs torn by
    another's truncate), as the native file counters read it: the count restarts from there."""
    try:
        return int(text)
    except ValueError:
        return 0


class FileCounter:
    def __init__(self, lock, truncate):
        fd, self.path = tempfile.mkstemp(prefix="parbench-count-")  # 0600, a name nobody guesses
        os.write(fd, b"0")
        os.close(fd)
        self.lock, self.truncate = lock, truncate
        self.held_fd = None  # the locked descriptor, while a lock is held

    def held(self):
        if self.lock is None:
            return _NoLock()
        return _FileLock(self, self.lock)

    def add(self, k):
        if self.held_fd is not None:
            # Under the lock, through its own descriptor: closing another descriptor of the file
            # would release a lockf lock (POSIX record locks belong to the process).
            text = os.pread(self.held_fd, 32, 0)
            data = str(_number(text) + k).encode()
            os.pwrite(self.held_fd, data, 0)
            os.ftruncate(self.held_fd, len(data))
            return
        if self.truncate:  # the book's two opens
            with open(self.path) as f:
                text = f.read()
            with open(self.path, "w") as f:
                f.write(str(_number(text) + k))
            return
        with open(self.path, "r+") as f:
            text = f.read()
            f.seek(0)
            f.write(str(_number(text) + k))
            f.truncate()

    def value(self):
        with open(self.path) as f:
            text = f.read()
        return _number(text)

    def reset(self):
        with open(self.path, "w") as f:
            f.write("0")

    def close(self):
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class _FileLock:
    """The lock of a file counter, on a descriptor of its own (lockf's lock belongs to the
    process, and is released when any of its descriptors of the file closes)."""

    def __init__(self, counter, how):
        self.counter, self.how = counter, how

    def __enter__(self):
        fd = os.open(self.counter.path, os.O_RDWR)
        if self.how == "flock":
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            fcntl.lockf(fd, fcntl.LOCK_EX)
        self.counter.held_fd = fd
        return self

    def __exit__(self, *exc):
        fd, self.counter.held_fd = self.counter.held_fd, None
        os.close(fd)  # releases either lock
        return False


class RedisCounter:
    def __init__(self, cfg):
        join = cfg.get("join") or {}
        if not join.get("url") or not join.get("key"):
            raise Unreachable("the python redis counter needs the run's Redis key")
        self.url, self.key, self.pid, self.client = join["url"], join["key"], None, None

    def held(self):
        return _NoLock()

    def add(self, k):
        if self.pid != os.getpid():  # a connection per process, made after the fork
            import redis
            self.client = redis.Redis.from_url(self.url, socket_timeout=1.5)
            self.pid = os.getpid()
        self.client.incrby(self.key, k)

    def value(self):
        return None  # parbench reads its own key

    def reset(self):
        pass  # parbench resets its own key

    def close(self):
        if self.client is not None:
            self.client.close()


def make_counter(name, ctx, cfg):
    values = {"shm": (True, False), "shm-value": (False, False), "shm-value-lock": (False, True),
              "shm-mutex": (True, True)}
    files = {"file": (None, False), "file-truncate": (None, True), "file-flock": ("flock", False),
             "file-fcntl": ("lockf", False)}
    if name in values:
        return ValueCounter(ctx, *values[name])
    if name in files:
        return FileCounter(*files[name])
    if name == "redis":
        return RedisCounter(cfg)
    raise Unreachable(f"the python count has no form of the {name} counter (it has "
                      f"{', '.join([*values, *files, 'redis'])})")


class _Adds:
    """A picklable run_range(begin, end): one add of `batch` per item."""

    def __init__(self, batch, lock_all):
        self.batch, self.lock_all = batch, lock_all

    def __call__(self, begin, end):
        counter = _COUNTER
        if self.lock_all:
            with counter.held():
                for _ in range(begin, end):
                    counter.add(self.batch)
        else:
            for _ in range(begin, end):
                with counter.held():
                    counter.add(self.batch)
        return (end - begin) * self.batch, end - begin


class Kernel:
    reduction = "sum"

    def __init__(self, cfg, ctx):
        global _COUNTER
        p = cfg["params_map"]
        if p.get("think_ns", "0") != "0":
            raise Unreachable("the python count has no --think-ns")
        self.counter = make_counter(cfg["ipc"], ctx, cfg)
        _COUNTER = self.counter
        self.size = cfg["size"]
        self.run_range = _Adds(int(p["batch"]), p.get("lock_scope") == "all")

    def before_run(self):
        self.counter.reset()

    def reached(self):
        return self.counter.value()

    def close(self):
        global _COUNTER
        self.counter.close()
        _COUNTER = None
