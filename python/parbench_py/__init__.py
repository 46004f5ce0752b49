"""parbench's Python side: the book's multiprocessing code, run by the `python` backend.

The C++ backend (harness/backends/python_backend.cpp) starts `python3 -m parbench_py` and talks to
it through the line protocol described in __main__.py. One module per kernel (pi, primes, verify,
count, fill); pool.py holds what they share (the pool, its workers' deaths, the hand-out by schedule).
"""

PROTOCOL = 1
# The oldest CPython the backend runs (math.isqrt, dict union, str.removeprefix); the C++ side refuses
# an older one before starting it. Kept parseable by any Python 3 so that the refusal is one line.
MIN_PYTHON = (3, 9)
