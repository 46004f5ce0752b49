"""fill: the book's "Sharing numpy data with multiprocessing" (kernels/fill.hpp).

The parent makes one multiprocessing.Array of rows x cols doubles (lock=False: a RawArray, which
multiprocessing keeps in an unlinked file of /dev/shm: parbench's `shm`), wraps it with
np.frombuffer and writes the default, 42, before each repetition. Forked workers inherit the
array and fill the rows they are handed, each first checking that its row still holds the default:

--fill id                   the worker's os.getpid(), as the book does (the census counts them)
--fill random --rng counter element (r, c) from parbench's counter-based stream, so the array is
                            the native one whatever the split and the checksum is serial's
--fill random --rng inherited  one np.random.Generator made by the parent before the fork: every
                            worker draws from its own copy of the same state, so rows repeat
                            (the book's pitfall; the row is invalid and says how many)

After the repetition, outside the part it times, the parent hashes every row as kernels/fill.cpp
does and tallies what parbench judges (rows left at the default, repeated rows, the census).
"""

import ctypes
import os

import numpy as np

from .errors import Unreachable
from .pi import GOLDEN, MASK, MUL1, MUL2, mix64

_U = np.uint64
ROWS_PER_STEP = 16  # rows hashed per numpy step: a few MiB of temporaries at 256 KiB a row

_ARRAY = None  # the shared rows x cols view, made before the pool forks so every worker has it
_RNG = None  # --rng inherited: the one generator every fork copies


def mix(z):
    """SplitMix64's finaliser over a uint64 array, in place (uint64 arithmetic wraps as C++'s)."""
    z ^= z >> _U(30)
    z *= _U(MUL1)
    z ^= z >> _U(27)
    z *= _U(MUL2)
    z ^= z >> _U(31)
    return z


def row_origin(seed, row):
    return mix64((mix64(seed ^ 0x5DEECE66D) + row * GOLDEN) & MASK)


def random_row(seed, row, cols):
    """Row `row` of the random array: (mix(origin + (c+1)G) >> 11) * 2^-53 for every column c."""
    z = np.arange(1, cols + 1, dtype=_U) * _U(GOLDEN) + _U(row_origin(seed, row))
    return (mix(z) >> _U(11)).astype(np.float64) * 2.0**-53


def row_hashes(rows):
    """kernels::row_hash of each row of a 2-D float64 array, as Python ints."""
    cols = rows.shape[1]
    steps = np.arange(1, cols + 1, dtype=_U) * _U(GOLDEN)
    sums = mix(rows.view(_U) ^ steps).sum(axis=1, dtype=_U)  # the sum wraps modulo 2^64
    return [mix64((int(s) + cols) & MASK) for s in sums]


def inspect(array, default):
    """The checksum of kernels/fill.cpp and the tallies parbench judges."""
    checksum, default_left, mixed = 0, 0, 0
    hashes, census = [], {}
    for first in range(0, array.shape[0], ROWS_PER_STEP):
        block = array[first:first + ROWS_PER_STEP]
        untouched = (block == default).all(axis=1)
        uniform = (block == block[:, :1]).all(axis=1)
        for i, h in enumerate(row_hashes(block)):
            r = first + i
            checksum = (checksum + h * (2 * r + 1)) & MASK  # a row in the wrong place counts
            if untouched[i]:
                default_left += 1
            else:
                hashes.append(h)
                if uniform[i]:
                    census[block[i, 0]] = census.get(block[i, 0], 0) + 1
                else:
                    mixed += 1
    tallies = {"default_left": default_left,
               "duplicated_rows": len(hashes) - len(set(hashes)),
               "census_ids": len(census),
               "census_min_rows": min(census.values(), default=0),
               "census_max_rows": max(census.values(), default=0),
               "mixed_rows": mixed}
    return checksum, tallies


def fill_rows(fill, seed, default, begin, end):
    """A worker's rows: (rows it found written already, rows it filled)."""
    taken_written = 0
    for r in range(begin, end):
        row = _ARRAY[r]
        if not (row == default).all():  # the book's assert, counted rather than raised
            taken_written += 1
        if fill == "id":
            row[:] = os.getpid()
        elif fill == "counter":
            row[:] = random_row(seed, r, len(row))
        else:
            row[:] = _RNG.random(len(row))
    return taken_written, end - begin


class _Rows:
    """A picklable run_range(begin, end): the worker's fill of its rows."""

    def __init__(self, fill, seed, default):
        self.fill, self.seed, self.default = fill, seed, default

    def __call__(self, begin, end):
        return fill_rows(self.fill, self.seed, self.default, begin, end)


class Kernel:
    reduction = "sum"  # of the rows that workers found written already

    def __init__(self, cfg, ctx):
        global _ARRAY, _RNG
        params = cfg["params_map"]
        if cfg["ipc"] != "shm":
            raise Unreachable(f"the python fill's array is a multiprocessing.Array (--ipc shm), "
                              f"not --ipc {cfg['ipc']}")
        if params["first_touch"] != "parent":
            raise Unreachable("the python fill's parent writes the default (--first-touch parent)")
        self.size, cols = cfg["size"], int(params["cols"])
        self.default = float(params["default"])
        seed = int(params["seed"])
        fill = "id" if params["fill"] == "id" else params["rng"]
        shared = ctx.Array(ctypes.c_double, self.size * cols, lock=False)
        _ARRAY = np.frombuffer(shared, dtype=np.float64).reshape(self.size, cols)
        _RNG = np.random.default_rng(seed) if fill == "inherited" else None
        self.run_range = _Rows(fill, seed, self.default)

    def before_run(self):
        _ARRAY.fill(self.default)

    def inspect(self, taken_written):
        checksum, tallies = inspect(_ARRAY, self.default)
        return checksum, {**tallies, "taken_written": taken_written}

    def close(self):
        global _ARRAY, _RNG
        _ARRAY = _RNG = None
