"""primes: the book's check_prime by trial division, counting the primes of a range.

The book's quirks fixed as in kernels/primes_trial.cpp: 1 is not prime, 2 is, and the bound is the
exact integer square root. Item i is the number lo + i.
"""

import math

from .errors import Unreachable


def check_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    for d in range(3, math.isqrt(n) + 1, 2):
        if n % d == 0:
            return False
    return True


class _Count:
    """A picklable run_range(begin, end): the primes among lo + [begin, end)."""

    def __init__(self, lo):
        self.lo = lo

    def __call__(self, begin, end):
        return sum(1 for n in range(self.lo + begin, self.lo + end) if check_prime(n)), end - begin


class Kernel:
    reduction = "sum"

    def __init__(self, cfg, _ctx):
        p = cfg["params_map"]
        if p.get("algo") != "trial":
            raise Unreachable(f"the python backend has the book's trial division only, not --algo "
                              f"{p.get('algo')}")
        if "shuffle" in p:
            raise Unreachable("the python backend has no --shuffle")
        if "publish_every" in p or cfg["ipc"] != "none":
            raise Unreachable(f"the python backend has no form of primes with --ipc {cfg['ipc']}")
        lo, hi = (int(x) for x in p["range"].split(":"))
        self.size = hi - lo
        self.run_range = _Count(lo)

    def before_run(self):
        pass

    def close(self):
        pass
