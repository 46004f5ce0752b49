"""A repetition under each schedule, as the book's readers would write it.

static   Pool.map of one contiguous block per worker (the book's ranges).
cyclic   Pool.map of one task per worker: the chunks dealt to it round-robin.
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


class PoolRunner:
    """static, cyclic and dynamic over a multiprocessing.Pool."""

    def __init__(self, ctx, workers, schedule, chunk):
        self.pool, self.watch = pl.make_pool(ctx, workers)
        self.workers, self.schedule, self.chunk = workers, schedule, chunk

    def run(self, run_range, size):
        if self.schedule == "static":
            blocks = [pl.static_block(size, self.workers, w) for w in range(self.workers)]
            task = functools.partial(_range_task, run_range)
            return self.watch.wait(self.pool.map_async(task, blocks, chunksize=1))
        chunks = pl.chunk_count(size, self.chunk)
        task = functools.partial(_chunks_task, run_range, size, self.chunk)
        if self.schedule == "cyclic":
            dealt = [list(range(w, chunks, self.workers)) for w in range(self.workers)]
            return self.watch.wait(self.pool.map_async(task, dealt, chunksize=1))
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


class QueueRunner:
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

    def processes(self):
        return self.watch.processes

    def close(self):
        for p in self.watch.processes:
            if p.is_alive():
                p.kill()
        for p in self.watch.processes:
            p.join()
        for q in (self.jobs, self.results):
            q.cancel_join_thread()
            q.close()


def make_runner(ctx, workers, schedule, chunk, run_range, size):
    if schedule == "queue":
        return QueueRunner(ctx, workers, chunk, run_range, size)
    return PoolRunner(ctx, workers, schedule, chunk)


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

