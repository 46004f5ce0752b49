"""`python3 -m parbench_py`: one configuration of parbench's `python` backend.

Protocol, version 1 (parbench writes to our stdin, we answer on our stdout, one line each;
everything else we print goes to stderr):

  parbench -> us, first line: a JSON object
      {"protocol": 1, "kernel": "pi", "variant": "numpy"|"pure", "params": "seed=1",
       "args": [...], "size": N, "workers": W, "schedule": "static"|"cyclic"|"dynamic"|"queue",
       "chunk": C, "ipc": "none", "join": {"url": ..., "key": ...}}
  us -> parbench, once the pool exists (this is the setup parbench times):
      "ready 1 python=3.11.2 numpy=1.24.2"
    or "unreachable <why>" (the configuration has no Python form: refused, not failed)
    or "error <why>"
  parbench -> us: "run" (one repetition)
  us -> parbench: "result <value> cpu_s=<s> checks=<n> workers=<busy_s>:<items>,<busy_s>:<items>,...
      [reached=<n>] [wall_s=<s> found=<name>:<n>,...]" (reached: what a counter kept here
      reached; parbench's counter takes it. fill: the value is the array's checksum, found what
      the parent's inspection tallied, and wall_s the workers' part alone, which parbench takes
      as the repetition's time: the default written before and the inspection after are untimed)
    or "error <why>" (a worker raised or died: the row fails; parbench then ends us)
  parbench closes our stdin: we stop the pool and the mechanisms and exit 0.
"""

import importlib
import json
import multiprocessing
import os
import sys
import time
import traceback

from . import MIN_PYTHON, PROTOCOL
from . import schedules
from .errors import Unreachable
from .pool import WorkerDied

KERNELS = ("pi", "primes", "verify", "count", "fill")


def params_map(text):
    out = {}
    for part in text.split(";"):
        if part:
            key, _, value = part.partition("=")
            out[key] = value
    return out


def one_line(text):
    return " ".join(str(text).split())


class Session:
    def __init__(self, cfg, reply):
        self.reply = reply
        if cfg.get("protocol") != PROTOCOL:
            raise Unreachable(f"protocol {cfg.get('protocol')} asked, this side speaks {PROTOCOL}")
        kernel = cfg["kernel"]
        if kernel not in KERNELS:
            raise Unreachable(f"the python backend has no {kernel} kernel yet (it has "
                              f"{', '.join(KERNELS)})")
        if cfg["variant"] == "pure" and kernel != "pi":
            raise Unreachable(f"python-pure is the pure-Python pi; {kernel} is pure Python under "
                              f"the python backend already")
        if kernel == "verify" and cfg["schedule"] != "static":
            raise Unreachable("the python verify splits the divisors in static blocks only")
        cfg["params_map"] = params_map(cfg["params"])
        self.ctx = multiprocessing.get_context("fork")
        module = importlib.import_module(f".{kernel}", __package__)
        self.kernel = module.Kernel(cfg, self.ctx)
        self.runner = schedules.make_runner(self.ctx, cfg["workers"], cfg["schedule"],
                                            cfg["chunk"], self.kernel.run_range, self.kernel.size)

    def run(self):
        self.kernel.before_run()
        c0, t0 = time.process_time(), time.perf_counter()
        shares = self.runner.run(self.kernel.run_range, self.kernel.size)
        wall = time.perf_counter() - t0
        value, loads, cpu, checks = schedules.fold(self.kernel.reduction, shares,
                                                   self.runner.processes())
        cpu += time.process_time() - c0
        workers = ",".join(f"{busy:.9f}:{items}" for busy, items in loads)
        inspect = getattr(self.kernel, "inspect", None)
        extra = ""
        if inspect is not None:
            value, tallies = inspect(value)
            found = ",".join(f"{name}:{n}" for name, n in tallies.items())
            extra = f" wall_s={wall:.9f} found={found}"
        line = f"result {value} cpu_s={cpu:.6f} checks={checks} workers={workers}{extra}"
        reached = getattr(self.kernel, "reached", lambda: None)()
        return line if reached is None else f"{line} reached={reached}"

    def close(self):
        self.runner.close()
        self.kernel.close()


def main():
    if sys.version_info[:2] < MIN_PYTHON:
        print("error Python {}.{} is older than {}.{}".format(*sys.version_info[:2], *MIN_PYTHON))
        return 2
    # Our stdout is the protocol's: anything printed by a library goes to stderr instead.
    out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)

    def reply(line):
        out.write(line + "\n")
        out.flush()

    session = None
    try:
        session = Session(json.loads(sys.stdin.readline()), reply)
        import numpy
        reply(f"ready {PROTOCOL} python={sys.version.split()[0]} numpy={numpy.__version__}")
        for line in sys.stdin:
            if line.strip() != "run":
                reply(f"error unknown request {one_line(line)!r}")
                return 2
            try:
                reply(session.run())
            except WorkerDied as e:
                reply(f"error {one_line(e)}")
                return 1
            except Exception as e:  # a worker's exception, re-raised by the pool
                reply(f"error python worker raised {type(e).__name__}: {one_line(e)}")
                return 1
    except Unreachable as e:
        reply(f"unreachable {one_line(e)}")
    except Exception as e:
        traceback.print_exc()
        reply(f"error {type(e).__name__}: {one_line(e)}")
        return 1
    finally:
        if session is not None:
            session.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
