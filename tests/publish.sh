#!/usr/bin/env bash
# pi and primes publishing through a shared counter (--ipc <counter>): with every safe counter on
# every backend of the list it reaches, at 1 to 4 workers, the result is exactly the one without a
# counter (ipc none), lost_updates 0. With the negative controls publishing often, a row that lost
# updates is invalid and says how many in its error; none ever has more than was published.
#   publish.sh PARBENCH BACKENDS [MUST_RUN [CONTROLS]]
# MUST_RUN: counters that must have published exactly; CONTROLS: the negative controls to try.
set -euo pipefail
parbench=$1 backends=$2 must_run=${3:-shm-atomic,shm-mutex,file-flock} controls=${4:-shm,file}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/err" 2>/dev/null; exit 1; }

"$parbench" run --kernel pi,primes --samples 2e5 --range A --ipc none,all --publish-every 997 \
  --backend "$backends" --workers 1:4 --warmup 0 --repeat 1 --csv "$dir/safe.csv" \
  >/dev/null 2>"$dir/err" && safe_rc=0 || safe_rc=$?
# The negative controls publishing every item: lost updates likely on 2 or more workers.
"$parbench" run --kernel pi,primes --samples 2e4 --range A --ipc "$controls" --publish-every 1 \
  --backend "$backends" --workers 2 --warmup 0 --repeat 2 --csv "$dir/controls.csv" \
  >/dev/null 2>>"$dir/err" || true
python3 - "$dir/safe.csv" "$dir/controls.csv" "$must_run" <<'PY' || fail "wrong rows"
import csv, sys
controls = {"shm", "shm-value", "file", "file-truncate", "mpi-nolock"}
def lost_updates(r):  # a measurement (CSV schema 9); "" where no counter was read
    return dict(m.split("=", 1) for m in r["measurements"].split(";") if m).get("lost_updates", "")
safe = list(csv.DictReader(open(sys.argv[1])))
plain = {r["kernel"]: r["result"] for r in safe if r["ipc"] == "none"}
assert set(plain) == {"pi", "primes"}, plain
variants = set()
for r in safe:
    if r["ipc"] in controls:
        continue
    where = f'{r["kernel"]} {r["backend"]} {r["ipc"]} workers={r["workers"]}'
    assert r["valid"] == "true", where + ": " + r["error"]
    assert r["result"] == plain[r["kernel"]], where + f': {r["result"]}, without a counter {plain[r["kernel"]]}'
    if r["ipc"] != "none":
        assert lost_updates(r) == "0", where + ": lost_updates " + lost_updates(r)
        assert "publish_every=997" in r["params"], where + ": " + r["params"]
        variants.add(r["ipc"])
assert set(sys.argv[3].split(",")) <= variants, variants
lost_rows = 0
for r in csv.DictReader(open(sys.argv[2])):
    where = f'{r["kernel"]} {r["backend"]} {r["ipc"]} workers={r["workers"]}'
    lost = int(lost_updates(r))
    if lost > 0:
        lost_rows += 1
        assert r["valid"] == "false" and f"lost {lost} of the" in r["error"], where + ": " + r["error"]
    elif r["valid"] == "false":  # a control may also fail to read its own garbled file: never more
        assert "more than" not in r["error"], where + ": " + r["error"]
print(f"ok: {len(variants)} counters exact; {lost_rows} control rows lost updates")
PY
# Several kernels share --ipc: each takes its own kind's names (mmap is a stop flag only, so pi
# runs without a counter), and a name of both kinds applies to both.
"$parbench" run --kernel pi,verify --samples 1e5 --n 1000003 --ipc mmap,shm-atomic,none \
  --backend serial --warmup 0 --repeat 1 --csv "$dir/both.csv" >/dev/null 2>>"$dir/err" ||
  fail "pi and verify with one --ipc list failed"
python3 - "$dir/both.csv" <<'PY' || fail "the kernels did not take their own kinds' names"
import csv, sys
seen = {(r["kernel"], r["ipc"]) for r in csv.DictReader(open(sys.argv[1]))}
assert {k for k, _ in seen if k == "pi"} and {i for k, i in seen if k == "pi"} <= {"none", "shm-atomic"}, seen
assert {i for k, i in seen if k == "verify"} <= {"none", "mmap"}, seen
PY
# 1 says some rows were invalid (only the controls', as checked above); anything else failed.
[[ $safe_rc -le 1 ]] || fail "the run with the safe counters exited with $safe_rc"
