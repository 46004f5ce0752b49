"""The python backend's Python side (python/parbench_py): the same darts as the native pi, the
same blocks as partition.hpp, the book's check_prime, and the line protocol end to end."""

import json
import os
import subprocess
import sys

import pytest

PYTHON_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "python")
sys.path.insert(0, PYTHON_DIR)

np = pytest.importorskip("numpy")
from parbench_py import pi, pool, primes, verify  # noqa: E402


def test_numpy_darts_are_the_pure_darts():
    for seed in (1, 7, 2**63 + 5):
        for begin, end in ((0, 1000), (123, 70_000), (65_535, 65_537 + pi.BLOCK)):
            assert pi.hits_numpy(seed, begin, end) == pi.hits_pure(seed, begin, end)


def test_pi_count_is_the_native_count():
    # parbench run --kernel pi --samples 1e6 --seed 1 --backend serial
    assert pi.hits_numpy(1, 0, 1_000_000) == 785_187


def test_static_blocks_cover_the_range_once_larger_first():
    for size, parts in ((10, 3), (7, 7), (3, 5), (1_000_003, 4)):
        blocks = [pool.static_block(size, parts, i) for i in range(parts)]
        assert blocks[0][0] == 0 and blocks[-1][1] == size
        assert all(a[1] == b[0] for a, b in zip(blocks, blocks[1:]))
        sizes = [e - b for b, e in blocks]
        assert sizes == sorted(sizes, reverse=True) and sizes[0] - sizes[-1] <= 1


def test_check_prime_counts_the_primes_below_100000():
    assert sum(primes.check_prime(n) for n in range(100_000)) == 9592
    assert not primes.check_prime(1) and primes.check_prime(2) and not primes.check_prime(9)


def test_search_finds_the_smallest_factor_in_both_styles():
    n = 1_000_003 * 1_000_033
    for block_style in (False, True):
        assert verify.search(n, 3, 1_000_101, 1000, block_style, False)[0] == 1_000_003
        assert verify.search(n, 1_000_005, 1_000_101, 1000, block_style, False)[0] == 1_000_033


def session(config, requests=("run",)):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
    text = json.dumps(config) + "\n" + "".join(r + "\n" for r in requests)
    out = subprocess.run([sys.executable, "-m", "parbench_py"], input=text, env=env,
                         capture_output=True, text=True, timeout=60)
    return out.stdout.splitlines()


BASE = {"protocol": 1, "args": [], "workers": 2, "chunk": 1000, "ipc": "none", "join": None}


@pytest.mark.parametrize("variant", ["numpy", "pure"])
def test_protocol_pi(variant):
    lines = session({**BASE, "kernel": "pi", "variant": variant, "params": "seed=1",
                     "size": 100_000, "schedule": "static"})
    assert lines[0].startswith("ready 1 ")
    assert lines[1].split()[1] == str(pi.hits_pure(1, 0, 100_000))
    assert lines[1].split("workers=")[1].count(":") == 2


@pytest.mark.parametrize("schedule", ["static", "cyclic", "dynamic", "queue"])
def test_protocol_primes_every_schedule(schedule):
    lines = session({**BASE, "kernel": "primes", "variant": "numpy",
                     "params": "algo=trial;range=0:100000", "size": 100_000,
                     "schedule": schedule}, ("run", "run"))
    assert [line.split()[1] for line in lines[1:]] == ["9592", "9592"]


def test_protocol_refuses_what_has_no_python_form():
    lines = session({**BASE, "kernel": "primes", "variant": "numpy",
                     "params": "algo=sieve;range=0:100000", "size": 100_000,
                     "schedule": "static"})
    assert lines == ["unreachable the python backend has the book's trial division only, not "
                     "--algo sieve"]


def _items(begin, end):
    return 0, end - begin


@pytest.mark.parametrize("schedule", ["static", "cyclic"])
def test_dealt_schedules_give_every_worker_its_own_share(schedule):
    # A Pool's map(chunksize=1) lets one quick worker take every task; a trivial task shows it.
    import multiprocessing

    from parbench_py import schedules
    ctx = multiprocessing.get_context("fork")
    runner = schedules.make_runner(ctx, 2, schedule, 100, _items, 1000)
    try:
        for _ in range(10):
            shares = runner.run(_items, 1000)
            _, loads, _, _ = schedules.fold("sum", shares, runner.processes())
            # static: the halves; cyclic: chunks 0, 2, ... and 1, 3, ... of 100 items each
            assert [items for _, items in loads] == [500, 500]
    finally:
        runner.close()


# fill, restated one element at a time in plain Python (kernels/fill.cpp): element (r, c) is the
# double (mix(origin_r + (c+1)G) >> 11) / 2^53, a row's hash mixes each word with its column, and
# the checksum places each row's hash by its index.
M64 = (1 << 64) - 1


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _naive_fill_checksum(seed, rows, cols):
    import struct
    g = 0x9E3779B97F4A7C15
    total = 0
    for r in range(rows):
        origin = _mix((_mix(seed ^ 0x5DEECE66D) + r * g) & M64)
        words = [struct.unpack("<Q", struct.pack("<d", (_mix((origin + (c + 1) * g) & M64) >> 11)
                                                  / 2**53))[0] for c in range(cols)]
        s = sum(_mix(w ^ (((c + 1) * g) & M64)) for c, w in enumerate(words)) & M64
        total = (total + _mix((s + cols) & M64) * (2 * r + 1)) & M64
    return total


def test_fill_checksum_is_the_naive_one_and_the_native_one():
    from parbench_py import fill
    array = np.stack([fill.random_row(2026, r, 5) for r in range(8)])
    checksum, tallies = fill.inspect(array, 42.0)
    assert checksum == _naive_fill_checksum(2026, 8, 5)
    # parbench run --kernel fill --backend serial --rows 8 --cols 5 --fill random --ipc shm
    assert checksum == 8028185417626224177
    assert tallies["default_left"] == 0 and tallies["duplicated_rows"] == 0


def test_fill_inspection_counts_defaults_repeats_and_ids():
    from parbench_py import fill
    array = np.full((6, 3), 42.0)
    array[1] = array[2] = [0.5, 0.25, 0.125]
    array[3] = 7.0
    array[4] = [7.0, 8.0, 7.0]
    _, t = fill.inspect(array, 42.0)
    assert (t["default_left"], t["duplicated_rows"]) == (2, 1)
    assert (t["census_ids"], t["census_min_rows"], t["census_max_rows"]) == (1, 1, 1)
    assert t["mixed_rows"] == 3


FILL = {**BASE, "kernel": "fill", "variant": "numpy", "size": 8, "ipc": "shm",
        "schedule": "static"}


def _fill_params(fill, rng):
    return f"cols=5;fill={fill};rng={rng};seed=2026;first_touch=parent;default=42"


def _found(line):
    return dict(p.split(":") for p in line.split("found=")[1].split()[0].split(","))


def test_protocol_fill_counter_is_serials_array():
    lines = session({**FILL, "params": _fill_params("random", "counter")}, ("run", "run"))
    for line in lines[1:]:
        assert line.split()[1] == "8028185417626224177"
        assert _found(line)["duplicated_rows"] == "0" and _found(line)["taken_written"] == "0"
        assert float(line.split("wall_s=")[1].split()[0]) > 0


def test_protocol_fill_inherited_generator_repeats_rows():
    lines = session({**FILL, "params": _fill_params("random", "inherited")})
    assert _found(lines[1])["duplicated_rows"] == "4"  # worker 1's 4 rows are worker 0's


def test_protocol_fill_ids_are_the_workers_pids():
    lines = session({**FILL, "params": _fill_params("id", "counter")})
    found = _found(lines[1])
    assert (found["census_ids"], found["census_min_rows"], found["default_left"]) == ("2", "4", "0")


def test_protocol_fill_refuses_other_blocks():
    lines = session({**FILL, "ipc": "mmap", "params": _fill_params("id", "counter")})
    assert lines[0].startswith("unreachable the python fill's array is a multiprocessing.Array")
