#!/usr/bin/env bash
# verify.sh PARBENCH BACKEND VARIANTS WORKERS [MORE OPTIONS]: every stop-flag variant on the backend reports the right
# smallest factor (or 0 for a prime) for the book's five numbers and small cases, and every variant
# but none stops early on the expensive composites (fewer candidates tested than the whole range).
# The serial pre-check (on unless --serial-cutoff 0) settles numbers with a factor below 21 without
# waking a worker; rows with a flag carry its measurements.
# VERIFY_NUMBERS replaces the list of numbers (e.g. the large cases 2^61-1 and (2^31-1)^2);
# VERIFY_SERIAL=0 leaves out the serial baseline.
set -euo pipefail
parbench=$1
backend=$2
variants=$3
workers=$4
shift 4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
numbers=${VERIFY_NUMBERS:-book,9,25,1099505336329}
[[ ${VERIFY_SERIAL:-1} == 0 ]] || backend="serial,$backend"
"$parbench" run --kernel verify --n "$numbers" --ipc "$variants" --backend "$backend" \
  --workers "$workers" --warmup 0 --repeat 2 --csv "$dir/out.csv" "$@" >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
python3 - "$dir/out.csv" <<'PY'
import csv, sys
smallest = {112272535095295: 5, 100109100129100369: 95362951, 100109100129101027: 171656941,
            100109100129100151: 0, 100109100129162907: 0, 9: 3, 25: 5, 1099505336329: 1048573,
            2305843009213693951: 0, 4611686014132420609: 2147483647}
expensive = {100109100129100369, 100109100129101027}
rows = list(csv.DictReader(open(sys.argv[1])))
stops = {}
assert rows, "no rows"
for r in rows:
    params = dict(p.partition("=")[::2] for p in r["params"].split(";"))
    n = int(params["n"])
    measured = dict(m.split("=") for m in r["measurements"].split(";") if m)
    assert r["valid"] == "true", r
    assert int(r["result"]) == smallest[n], (n, r["result"], r["backend"], r["ipc"])
    tested = sum(int(x) for x in r["worker_items"].split(";") if x)
    woken = r["worker_items"] != ""
    prechecked = params["serial_cutoff"] != "0"
    small = smallest[n] != 0 and smallest[n] < 21
    assert woken == (not (prechecked and small)), ("pre-check and workers", n, r["params"], r["worker_items"])
    assert (r["ipc"] == "none") == ("checks" not in measured), ("measurements", r["ipc"], r["measurements"])
    many = int(r["workers"]) > 1 and r["backend"] != "serial"
    if n in expensive and many and r["ipc"] not in ("none", "mmap-private"):
        assert tested < int(r["size"]), ("no early stop", n, r["backend"], r["ipc"], r["workers"], tested)
        # With --exact-smallest a worker below the factor never stops early; on a busy or
        # oversubscribed machine the others may all finish first, so one row of each pair suffices.
        if "exact_smallest" not in params:
            stops.setdefault((r["backend"], r["ipc"]), []).append("stop_latency_s" in measured)
    if "stop_latency_s" in measured:
        latency = float(measured["stop_latency_s"])
        assert latency >= 0, ("stop latency", r)
        # An MPI repetition's wall time is the slowest rank's own, each from its own start after the
        # barrier; a rank that starts late (descheduled: ASan, a busy machine) may see a raise made
        # before it began, and its stop then comes later than the wall time allows for.
        assert r["backend"].startswith("mpi") or latency <= float(r["wall_s"]), ("stop latency", r)
    if n in expensive and many and r["ipc"] == "mmap-private":  # the negative control never stops early
        assert tested > int(r["size"]) // 2, ("mmap-private stopped early", n, r["workers"], tested)
for pair, seen in stops.items():
    assert any(seen), ("no stop latency in any row", pair)
print(f"ok: {len(rows)} rows")
PY
