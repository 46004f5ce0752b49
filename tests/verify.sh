#!/usr/bin/env bash
# verify.sh PARBENCH BACKEND VARIANTS WORKERS [MORE OPTIONS]: every stop-flag variant on the backend reports the right
# smallest factor (or 0 for a prime) for the book's five numbers and small cases, and every variant
# but none stops early on the expensive composites (fewer candidates tested than the whole range).
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
assert rows, "no rows"
for r in rows:
    n = int(r["params"].split(";")[0][2:])
    assert r["valid"] == "true", r
    assert int(r["result"]) == smallest[n], (n, r["result"], r["backend"], r["ipc"])
    tested = sum(int(x) for x in r["worker_items"].split(";"))
    many = int(r["workers"]) > 1 and r["backend"] != "serial"
    if n in expensive and many and r["ipc"] not in ("none", "serial-first", "mmap-private"):
        assert tested < int(r["size"]), ("no early stop", n, r["backend"], r["ipc"], r["workers"], tested)
    if n in expensive and many and r["ipc"] == "mmap-private":  # the negative control never stops early
        assert tested > int(r["size"]) // 2, ("mmap-private stopped early", n, r["workers"], tested)
print(f"ok: {len(rows)} rows")
PY
