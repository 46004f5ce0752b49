"""pi: the book's darts, drawn from parbench's counter-based stream (kernels/monte_carlo_pi.hpp).

Dart i's 64 bits are SplitMix64's finaliser over the i-th state of a Weyl sequence whose origin
depends on the seed; x and y are their 32-bit halves, and the dart is inside when x^2 + y^2 < 2^64,
exactly (no floating point). So the count over any split equals the native backends' count, and
forked workers cannot share a generator's state (the book's pitfall). Two forms, as in the book:
numpy over blocks of darts (`python`), and a plain loop (`python-pure`).
"""

import numpy as np

from .errors import Unreachable

GOLDEN = 0x9E3779B97F4A7C15
MUL1 = 0xBF58476D1CE4E5B9
MUL2 = 0x94D049BB133111EB
MASK = (1 << 64) - 1
BLOCK = 1 << 16  # darts per numpy step: a few arrays of 512 KiB, in L2


def mix64(z):
    z = ((z ^ (z >> 30)) * MUL1) & MASK
    z = ((z ^ (z >> 27)) * MUL2) & MASK
    return z ^ (z >> 31)


def origin(seed):
    return mix64(seed ^ 0x5DEECE66D)


def hits_pure(seed, begin, end):
    """The loop a reader writes first: one dart at a time, Python integers."""
    hits = 0
    state = (origin(seed) + (begin + 1) * GOLDEN) & MASK
    for _ in range(begin, end):
        z = mix64(state)
        x, y = z >> 32, z & 0xFFFFFFFF
        if x * x + y * y < (1 << 64):
            hits += 1
        state = (state + GOLDEN) & MASK
    return hits


_U = np.uint64


def hits_numpy(seed, begin, end):
    """The same darts in blocks: uint64 arithmetic wraps modulo 2^64 as the C++ does."""
    steps = np.arange(1, BLOCK + 1, dtype=_U) * _U(GOLDEN)  # dart k of a block: origin + (k+1)G
    base0 = (origin(seed) + begin * GOLDEN) & MASK
    hits = 0
    z = np.empty(BLOCK, dtype=_U)
    t = np.empty(BLOCK, dtype=_U)
    for first in range(begin, end, BLOCK):
        n = min(BLOCK, end - first)
        base = _U((base0 + (first - begin) * GOLDEN) & MASK)
        zz, tt = z[:n], t[:n]
        np.add(steps[:n], base, out=zz)
        np.right_shift(zz, _U(30), out=tt)
        zz ^= tt
        zz *= _U(MUL1)
        np.right_shift(zz, _U(27), out=tt)
        zz ^= tt
        zz *= _U(MUL2)
        np.right_shift(zz, _U(31), out=tt)
        zz ^= tt
        np.right_shift(zz, _U(32), out=tt)  # x
        tt *= tt  # x^2
        zz &= _U(0xFFFFFFFF)  # y
        zz *= zz  # y^2
        zz += tt  # wraps when x^2 + y^2 >= 2^64
        hits += int(np.count_nonzero(zz >= tt))
    return hits


class Kernel:
    reduction = "sum"

    def __init__(self, cfg, _ctx):
        params = cfg["params_map"]
        self.seed = int(params["seed"])
        self.size = cfg["size"]
        if "publish_every" in params or cfg["ipc"] != "none":
            raise Unreachable(f"the python backend has no form of pi with --ipc {cfg['ipc']}")
        self.run_range = hits_range_pure if cfg["variant"] == "pure" else hits_range_numpy
        self.run_range = _Bound(self.run_range, self.seed)

    def before_run(self):
        pass

    def close(self):
        pass


class _Bound:
    """A picklable run_range(begin, end) bound to the seed."""

    def __init__(self, fn, seed):
        self.fn, self.seed = fn, seed

    def __call__(self, begin, end):
        return self.fn(self.seed, begin, end)


def hits_range_numpy(seed, begin, end):
    return hits_numpy(seed, begin, end), end - begin


def hits_range_pure(seed, begin, end):
    return hits_pure(seed, begin, end), end - begin
