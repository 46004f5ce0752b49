"""A repetition under each schedule, as the book's readers would write it.

static   one contiguous block per worker (the book's ranges), each handed to its own process
cyclic   the chunks dealt round-robin, worker i's chunks i, i+W, ... handed to process i
         (Pool.map(chunksize=1) would let one quick worker take every task: not a static schedule)
dynamic  Pool.imap_unordered over the chunks of --chunk items: a free worker takes the next one,
         the hand-out of imap_unordered(check_prime, numbers, chunksize=chunk).
queue    a multiprocessing.Queue of chunk indices filled by a feeder thread, one poison pill per
         worker, and a queue of results (the book's "Using a queue of work").
"""

import functools
import multiprocessing
import queue
import threading

from . import pool as pl

PILL = None  # the end of a repetition's work for one worker


def _range_task(run_range, block):
    return pl.timed(run_range, block[0], block[1])


def _chunks_task(run_range, size, chunk, indices):
    def run_all():
        value, items, checks = None, 0, 0
        for c in indices:
            out = run_range(*pl.chunk_slice(size, chunk, c))
            value = out[0] if value is None else _fold_any(value, out[0])
            items += out[1]
            checks += out[2] if len(out) > 2 else 0
        return (value if value is not None else 0), items, checks
    return pl.timed(run_all)


def _fold_any(a, b):
    # Only sums run through cyclic chunks in one task: verify has no chunked schedules.
    return a + b


def _dealt_worker(conn, workers):
    """One worker of a dealt schedule: runs what its own pipe hands it, answers on it."""
    pl.die_with_parent(workers)
    while True:
        job = conn.recv()
        if job is PILL:
            return
        task, arg = job
        try:
            conn.send((True, task(arg)))
        except Exception as e:  # re-raised by the parent, as a Pool's map would
            conn.send((False, e))


class _Workers:
    """A runner over Processes of its own (self.watch): closing ends them, then its channels."""

    def processes(self):
        return self.watch.processes

    def close(self):
        for p in self.watch.processes:
            if p.is_alive():
                p.kill()
        for p in self.watch.processes:
            p.join()


class DealtRunner(_Workers):
    """static and cyclic: `workers` Processes, each sent its own share through its own Pipe."""

    def __init__(self, ctx, workers, schedule, chunk):
        self.schedule, self.chunk = schedule, chunk
        self.conns, procs = [], []
        for _ in range(workers):
            ours, theirs = ctx.Pipe()
            procs.append(ctx.Process(target=_dealt_worker, args=(theirs, workers), daemon=True))
            self.conns.append(ours)
        for p in procs:
            p.start()
        self.watch = pl.Workers(procs)

    def run(self, run_range, size):
        n = len(self.conns)
        if self.schedule == "static":
            task = functools.partial(_range_task, run_range)
            args = [pl.static_block(size, n, w) for w in range(n)]
        else:
            task = functools.partial(_chunks_task, run_range, size, self.chunk)
            args = [list(range(w, pl.chunk_count(size, self.chunk), n)) for w in range(n)]
        for conn, arg in zip(self.conns, args):
            conn.send((task, arg))
        shares = []
        for conn, proc in zip(self.conns, self.watch.processes):
            while not conn.poll(pl.WATCH_EVERY_S):
                self.watch.check()
            try:
                ok, out = conn.recv()
            except EOFError:  # it died: wait for its exit status, to say how
                proc.join(1.0)
                self.watch.check()
                raise
            if not ok:
                raise out
            shares.append(out)
        return shares

    def close(self):
        super().close()
        for conn in self.conns:
            conn.close()


class PoolRunner:
    """dynamic over a multiprocessing.Pool: a free worker takes the next chunk."""

    def __init__(self, ctx, workers, chunk):
        self.pool, self.watch = pl.make_pool(ctx, workers)
        self.chunk = chunk

    def run(self, run_range, size):
        chunks = pl.chunk_count(size, self.chunk)
        task = functools.partial(_chunks_task, run_range, size, self.chunk)
        shares = []
        it = self.pool.imap_unordered(task, ([c] for c in range(chunks)), chunksize=1)
        while True:
            try:
                shares.append(it.next(pl.WATCH_EVERY_S))
            except StopIteration:
                return shares
            except multiprocessing.TimeoutError:
                self.watch.check()

    def processes(self):
        return self.watch.processes

    def close(self):
        self.pool.terminate()
        self.pool.join()


def _queue_worker(run_range, size, chunk, jobs, results, go, workers):
    pl.die_with_parent(workers)
    while True:
        go.acquire()  # a repetition begins: without it a fast worker could take two pills
        shares = []
        while True:
            c = jobs.get()
            if c is PILL:
                break
            shares.append(pl.timed(run_range, *pl.chunk_slice(size, chunk, c)))
        results.put(shares)


class QueueRunner(_Workers):
    """The book's queue of work: long-lived Processes, a feeder, poison pills."""

    def __init__(self, ctx, workers, chunk, run_range, size):
        self.jobs, self.results = ctx.Queue(), ctx.Queue()
        self.go = [ctx.Semaphore(0) for _ in range(workers)]
        self.chunk, self.size = chunk, size
        procs = [ctx.Process(target=_queue_worker,
                             args=(run_range, size, chunk, self.jobs, self.results, go, workers),
                             daemon=True)
                 for go in self.go]
        for p in procs:
            p.start()
        self.watch = pl.Workers(procs)

    def run(self, run_range, size):
        n = len(self.watch.processes)

        def feed():
            for c in range(pl.chunk_count(size, self.chunk)):
                self.jobs.put(c)
            for _ in range(n):
                self.jobs.put(PILL)
        for go in self.go:
            go.release()
        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        shares = []
        for _ in range(n):
            while True:
                try:
                    shares.extend(self.results.get(timeout=pl.WATCH_EVERY_S))
                    break
                except queue.Empty:
                    self.watch.check()
        feeder.join()
        return shares

    def close(self):
        super().close()
        for q in (self.jobs, self.results):
            q.cancel_join_thread()
            q.close()


def make_runner(ctx, workers, schedule, chunk, run_range, size):
    if schedule == "queue":
        return QueueRunner(ctx, workers, chunk, run_range, size)
    if schedule == "dynamic":
        return PoolRunner(ctx, workers, chunk)
    return DealtRunner(ctx, workers, schedule, chunk)


def fold(reduction, shares, watch_processes):
    """The combined value and each worker's (busy_s, items), workers in start order."""
    index = {p.pid: i for i, p in enumerate(watch_processes)}
    loads = [[0.0, 0] for _ in watch_processes]
    value = 0
    cpu = 0.0
    checks = 0
    for s in shares:
        if reduction == "sum":
            value += s.value
        elif s.value != 0 and (value == 0 or s.value < value):
            value = s.value
        i = index.get(s.pid)
        if i is not None:
            loads[i][0] += s.busy_s
            loads[i][1] += s.items
        cpu += s.cpu_s
        checks += s.checks
    return value, loads, cpu, checks

