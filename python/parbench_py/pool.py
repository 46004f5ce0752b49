"""The worker pool every kernel module uses, and the hand-out of items by schedule.

Workers are forked (the book's Linux default), so what a module makes before the pool exists (a
RawValue, an mmap, a Manager's proxy) is inherited. A worker that dies is noticed within
WATCH_EVERY_S: multiprocessing.Pool would otherwise wait forever for the task it held.
"""

import ctypes
import os
import signal
import time

WATCH_EVERY_S = 0.05
PR_SET_PDEATHSIG = 1


class WorkerDied(Exception):
    """A worker process ended while a repetition ran."""


def die_with_parent(workers=0):
    """Pool initializer: a worker whose interpreter dies (parbench killed it) dies too."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
    # Fault injection for the tests: PARBENCH_PY_FAULT=raise:W or kill:W makes every worker of a
    # pool of W workers raise or die at its first task (so that a run of 1 and 2 workers has one
    # failed configuration and one that still runs).
    kind, _, size = os.environ.get("PARBENCH_PY_FAULT", "").partition(":")
    if kind and size.isdigit() and int(size) == workers:
        _Fault.kind = kind


class _Fault:
    kind = ""


def maybe_fail():
    if not _Fault.kind:
        return
    kind, _Fault.kind = _Fault.kind, ""
    if kind == "raise":
        raise RuntimeError("injected fault (PARBENCH_PY_FAULT=raise)")
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)


def describe_exit(code):
    if code is not None and code < 0:
        return f"was killed by signal {-code} ({signal.Signals(-code).name})"
    return f"exited with code {code}"


class Workers:
    """The processes of one pool, in the order they started, watched for deaths."""

    def __init__(self, processes):
        self.processes = list(processes)
        self.index = {p.pid: i for i, p in enumerate(self.processes)}

    def check(self):
        for i, p in enumerate(self.processes):
            if p.exitcode is not None:
                raise WorkerDied(f"python worker {i} (pid {p.pid}) {describe_exit(p.exitcode)}")

    def wait(self, async_result):
        """The result of a map_async, or WorkerDied as soon as a worker has died."""
        while not async_result.ready():
            async_result.wait(WATCH_EVERY_S)
            if not async_result.ready():
                self.check()
        return async_result.get()


def make_pool(ctx, workers):
    """A fork Pool of `workers` processes, and their Workers record."""
    before = {p.pid for p in ctx.active_children()}
    pool = ctx.Pool(workers, initializer=die_with_parent, initargs=(workers,))
    started = [p for p in ctx.active_children() if p.pid not in before]
    started.sort(key=lambda p: p.pid)
    return pool, Workers(started)


def static_block(size, parts, index):
    """harness/backends/partition.hpp's static_block: the same slices as the native backends."""
    base, extra = divmod(size, parts)
    begin = index * base + min(index, extra)
    return begin, begin + base + (1 if index < extra else 0)


def chunk_slice(size, chunk, index):
    begin = index * chunk
    return begin, min(size, begin + chunk)


def chunk_count(size, chunk):
    return 0 if chunk == 0 else (size + chunk - 1) // chunk


class Share:
    """What one task did: folded by the parent into per-worker loads."""

    __slots__ = ("pid", "value", "items", "busy_s", "cpu_s", "checks")

    def __init__(self, value, items, busy_s, cpu_s, checks=0):
        self.pid = os.getpid()
        self.value, self.items, self.busy_s, self.cpu_s, self.checks = (
            value, items, busy_s, cpu_s, checks)


def timed(task, *args):
    """Runs task(*args) -> (value, items[, checks]) in a worker and wraps it in a Share."""
    maybe_fail()
    t0, c0 = time.perf_counter(), time.process_time()
    out = task(*args)
    value, items = out[0], out[1]
    checks = out[2] if len(out) > 2 else 0
    return Share(value, items, time.perf_counter() - t0, time.process_time() - c0, checks)
