#!/usr/bin/env bash
# count: every counter variant on every backend of the list it reaches (--ipc all skips the others
# quietly), at the worker counts given. A safe counter reaches exactly workers x N, lost_updates 0;
# a negative control (no lock) never more, with lost_updates = expected - result, and its row is
# still valid. Then the lock scope, batch and think time, and `parbench report count` over the CSV.
#   count.sh PARBENCH BACKENDS WORKERS MUST_RUN [SCOPED]
# MUST_RUN: backend:variant pairs that must have rows (the reach the test relies on). SCOPED: the
# variants of the lock-scope run, which every backend of the list must reach.
set -euo pipefail
parbench=$1 backends=$2 workers=$3 must_run=$4 scoped=${5:-shm-mutex,file-flock,shm}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/err" 2>/dev/null; exit 1; }

check_rows() {  # check_rows CSV: every row judged as above; prints the backend:variant pairs seen
  python3 - "$1" <<'PY'
import csv, subprocess, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
controls = {"shm", "shm-value", "file", "file-truncate", "mpi-nolock"}  # the variants without a lock
seen = set()
for r in rows:
    assert r["kernel"] == "count", r["kernel"]
    params = dict(p.split("=") for p in r["params"].split(";"))
    threads = 1 if r["backend"] == "serial" else int(r["workers"]) * int(r["threads_per_rank"])
    expected = threads * int(params["increments"])
    measured = dict(m.split("=", 1) for m in r["measurements"].split(";") if m)
    result, lost = int(r["result"]), measured.get("lost_updates", "")
    where = f'{r["backend"]} {r["ipc"]} workers={r["workers"]} {r["params"]}: {result} of {expected}'
    assert r["error"] == "" or r["ipc"] not in controls, where + ": " + r["error"]
    assert lost != "", where + ": no lost_updates"
    assert int(lost) == expected - result, where + f": lost_updates {lost}"
    if r["ipc"] in controls:
        assert result <= expected and r["valid"] == "true", where
    else:
        assert result == expected and r["valid"] == "true", where + " " + r["error"]
    seen.add(f'{r["backend"]}:{r["ipc"]}')
print("\n".join(sorted(seen)))
PY
}

"$parbench" run --kernel count --ipc all --backend "$backends" --workers "$workers" --increments 100 \
  --warmup 0 --repeat 2 --csv "$dir/all.csv" >"$dir/out" 2>"$dir/err" || fail "the run failed"
check_rows "$dir/all.csv" >"$dir/seen" || fail "a row is wrong"
for pair in ${must_run//,/ }; do
  grep -qx "$pair" "$dir/seen" || fail "no rows for $pair (seen: $(tr '\n' ' ' <"$dir/seen"))"
done
grep -q "^# count: " "$dir/out" || fail "no count table on the console"

# One lock around each worker's loop, adds of 5, some work before each: still exact.
"$parbench" run --kernel count --ipc "$scoped" --backend "$backends" --workers 2 \
  --increments 50 --batch 5 --think-ns 200 --lock-scope each,all --warmup 0 --repeat 1 \
  --csv "$dir/scoped.csv" >"$dir/out" 2>"$dir/err" || fail "the scoped run failed"
check_rows "$dir/scoped.csv" >/dev/null || fail "a scoped row is wrong"
grep -q "lock_scope=all" "$dir/scoped.csv" || fail "no lock_scope=all rows"
grep -q "the workers take turns" "$dir/out" || fail "the table does not say that one lock per loop serialises"

# --increments book (the default) alone is the book's experiment: 4 workers unless told otherwise.
"$parbench" run --kernel count --ipc "${scoped%%,*}" --backend "${backends##*,}" --warmup 0 --repeat 1 \
  --csv "$dir/book.csv" >/dev/null 2>"$dir/err" || fail "the book's run failed"
python3 - "$dir/book.csv" <<'PY' || fail "the book's run did not use 4 workers x 1000"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows and all(r["workers"] == "4" and "increments=1000;" in r["params"] for r in rows), rows
PY

"$parbench" report count "$dir/all.csv" >"$dir/table" 2>"$dir/err" || fail "report count failed"
first=${scoped%%,*}
grep -Eq "^$first +[0-9x]+ +[0-9]+( \([0-9]+-[0-9]+\))? / [0-9]+ +[0-9.]+\*? +[0-9.]+ +[0-9]+%$" \
  "$dir/table" ||
  fail "report count has no $first line: $(cat "$dir/table")"
grep -Eq "^[a-z-]+ \(no lock\) " "$dir/table" || fail "the negative control is not marked"
echo "ok: $(wc -l <"$dir/seen") backend:variant pairs"
