"""verify: is one large n prime? The book's "Verifying primes using interprocess communication".

The candidate divisors are the items (item 0 the divisor 2, item i > 0 the odd divisor 2i + 1, up
to isqrt(n)), split among the workers; a worker that finds a factor raises a flag that the others
look at every --check-every candidates. The flags are the book's, under parbench's --ipc names:

none    no flag: every block runs to its end (the book's less naive pool)
shm     multiprocessing.RawValue (the book's Value(lock=False)), inherited through fork
mmap    an anonymous shared mmap of 8 bytes, read through a memoryview
broker  Manager().Value: a look is a request and a reply to the manager's server process
redis   a key on the run's Redis server (the native flag's own key, joined), read with GET

The flag holds the factor found (0: none), so that whichever factor is raised is a real one. The
book's serial pre-check runs in parbench before any worker is asked (the same for every backend).
"""

import math
import mmap
import os

from .errors import Unreachable

_FLAG = None  # made before the pool forks, so every worker inherits it


class RawValueFlag:
    def __init__(self, ctx, _cfg):
        self.v = ctx.RawValue("Q", 0)

    def get(self):
        return self.v.value

    def set(self, factor):
        self.v.value = factor

    def close(self):
        pass


class MmapFlag:
    def __init__(self, _ctx, _cfg):
        self.m = mmap.mmap(-1, 8)
        self.words = memoryview(self.m).cast("Q")

    def get(self):
        return self.words[0]

    def set(self, factor):
        self.words[0] = factor

    def close(self):
        self.words.release()
        self.m.close()


class BrokerFlag:
    """The book's Manager().Value: the manager is one more process, stopped with the flag."""

    def __init__(self, ctx, _cfg):
        from multiprocessing.managers import SyncManager

        from .pool import die_with_parent
        self.manager = SyncManager(ctx=ctx)
        self.manager.start(die_with_parent)
        self.v = self.manager.Value("Q", 0)

    def get(self):
        return self.v.value

    def set(self, factor):
        self.v.value = factor

    def close(self):
        self.manager.shutdown()


class RedisFlag:
    """The native redis flag's key, on the server parbench started or was given: parbench lowers
    and deletes it; a worker raises it with SET (any raised factor is a real one)."""

    def __init__(self, _ctx, cfg):
        import redis
        join = cfg.get("join") or {}
        if not join.get("url") or not join.get("key"):
            raise Unreachable("the python redis flag needs the run's Redis key")
        self.url, self.key = join["url"], join["key"]
        self.pid, self.client = None, None

    def _redis(self):
        if self.pid != os.getpid():  # one connection per process, made after the fork
            import redis
            # 1.5 s for every command, as the native flag (a unix:// URL takes no connect timeout)
            self.client = redis.Redis.from_url(self.url, socket_timeout=1.5)
            self.pid = os.getpid()
        return self.client

    def get(self):
        v = self._redis().get(self.key)
        return int(v) if v else 0

    def set(self, factor):
        self._redis().set(self.key, factor)

    def close(self):
        if self.client is not None:
            self.client.close()


FLAGS = {"shm": RawValueFlag, "mmap": MmapFlag, "broker": BrokerFlag, "redis": RedisFlag}


def search(n, first, last, every, block_style, exact):
    """The smallest divisor of n among first, first + 2, ..., last (odd first), looking at the flag
    every `every` candidates: (factor, tested, checks). kernels/verify.hpp's two styles."""
    flag = _FLAG
    tested = checks = 0
    if flag is None or every == 0:
        for d in range(first, last + 1, 2):
            if n % d == 0:
                return d, (d - first) // 2 + 1, 0
        return 0, (last - first) // 2 + 1 if last >= first else 0, 0

    def stop(next_divisor):
        raised = flag.get()
        return raised != 0 and (not exact or raised < next_divisor)

    if block_style:  # the book's "mmap redux": blocks with nothing but the division inside
        for begin in range(first, last + 1, 2 * every):
            end = min(last + 1, begin + 2 * every)
            for d in range(begin, end, 2):
                if n % d == 0:
                    flag.set(d)
                    return d, tested + (d - begin) // 2 + 1, checks
            tested += (end - begin + 1) // 2
            if end <= last:
                checks += 1
                if stop(end):
                    return 0, tested, checks
        return 0, tested, checks
    countdown = every
    for d in range(first, last + 1, 2):  # the book's check_prime_in_range
        countdown -= 1
        if countdown == 0:
            checks += 1
            if stop(d):
                return 0, tested, checks
            countdown = every
        tested += 1
        if n % d == 0:
            flag.set(d)
            return d, tested, checks
    return 0, tested, checks


class _Range:
    """A picklable run_range(begin, end) over items: (factor, tested, checks)."""

    def __init__(self, n, first_item, every, block_style, exact):
        self.n, self.first_item, self.every = n, first_item, every
        self.block_style, self.exact = block_style, exact

    def __call__(self, begin, end):
        begin = max(begin, self.first_item)  # the pre-check in parbench tried these
        if begin >= end:
            return 0, 0, 0
        tested = 0
        if begin == 0:
            if self.n % 2 == 0:
                return 2, 1, 0
            tested, begin = 1, 1
        factor, more, checks = search(self.n, 2 * begin + 1, 2 * (end - 1) + 1, self.every,
                                      self.block_style, self.exact)
        return factor, tested + more, checks


class Kernel:
    reduction = "min_nonzero"

    def __init__(self, cfg, ctx):
        global _FLAG
        p = cfg["params_map"]
        ipc = cfg["ipc"]
        if ipc != "none" and ipc not in FLAGS:
            raise Unreachable(f"the python backend has no form of the {ipc} flag (it has "
                              f"none, {', '.join(FLAGS)})")
        n = int(p["n"])
        root = math.isqrt(n)
        self.size = 0 if root < 2 else 1 + ((root - 1) // 2 if root >= 3 else 0)
        cutoff = int(p.get("serial_cutoff", "0"))
        first_item = min(self.size, (1 if cutoff > 2 else 0) + ((cutoff - 2) // 2 if cutoff > 3 else 0))
        every = p.get("check_every", "none")
        self.flag = FLAGS[ipc](ctx, cfg) if ipc != "none" else None
        _FLAG = self.flag
        self.run_range = _Range(n, first_item, 0 if every == "none" else int(every),
                                p.get("check_style") == "block", "exact_smallest" in p)

    def before_run(self):
        if self.flag is not None and not isinstance(self.flag, RedisFlag):
            self.flag.set(0)  # parbench lowers the redis key itself (DEL)

    def close(self):
        global _FLAG
        if self.flag is not None:
            self.flag.close()
        _FLAG = None
