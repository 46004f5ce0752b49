#!/usr/bin/env bash
# parbench report card: one screen (at most 40 lines of 100 columns) of the headline costs; every
# figure whose rows the run wrote is there, the others are "-" with the command that measures
# them; two hosts give two columns with the ratio; --json gives the same figures; the noise (share of
# configurations over 5% spread) agrees with its restatement.
set -uo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/card" 2>/dev/null; exit 1; }
csv=$dir/run.csv
quick=(--warmup 0 --repeat 3 --csv "$csv")
"$parbench" run --kernel pi --samples 2e7 --backend serial,threads,processes --workers 1,2 \
  "${quick[@]}" >/dev/null 2>&1 || fail "pi run"
"$parbench" run --kernel primes --range A --backend serial,threads --workers 1 --schedule \
  dynamic --chunk 100 "${quick[@]}" >/dev/null 2>&1 || fail "primes run"
"$parbench" run --kernel verify --n 100109100129100369 --ipc shm --backend processes --workers 2 \
  "${quick[@]}" >/dev/null 2>&1 || fail "verify run"
# The negative control loses updates by design: its rows stay, and the run says so with exit 1.
"$parbench" run --kernel count --increments 1e5 --ipc shm-atomic,shm --backend processes \
  --workers 2 "${quick[@]}" >/dev/null 2>&1
"$parbench" report card "$csv" >"$dir/card" 2>"$dir/err" || fail "report card: $(cat "$dir/err")"
(($(wc -l <"$dir/card") <= 40)) || fail "more than 40 lines"
(($(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$dir/card") <= 100)) ||
  fail "a line over 100 columns"
figure() { grep -E "^.{12}$1 " "$dir/card" | head -1; }
[[ $(figure 'fork \(processes\)') =~ [0-9.]+\ ms ]] || fail "no fork cost"
[[ $(grep '^2 workers   threads' "$dir/card") =~ [0-9]\.[0-9]{2}\ /\ - ]] || fail "no pi efficiency for threads"
[[ $(figure 'dynamic claim') =~ (us|noise) ]] || fail "no chunk cost"
[[ $(figure 'shm') =~ [0-9.]+\ (ns|us) ]] || fail "no flag look for shm"
[[ $(figure 'atomic add \(shm-atomic\)') =~ [0-9.]+\ ns ]] || fail "no contended add"
[[ $(figure 'updates lost \(shm\)') =~ [0-9]+% ]] || fail "no share of lost updates"
[[ $(figure 'wake-up across a pipe') =~ [0-9.]+\ us ]] || fail "no calibration"
[[ $(figure 'configurations over 5% spread') =~ [0-9]+% ]] || fail "no noise"
[[ $(figure 'MPI add') =~ \ -$ ]] || fail "a figure with no rows is not '-'"
grep -q '^$ parbench run --kernel fill' "$dir/card" || fail "no command for the missing fill figures"

# Two hosts: two columns, the second with its ratio to the first.
csv_on_two_hosts "$csv" "$dir/two.csv"
"$parbench" report card "$dir/two.csv" >"$dir/card" || fail "report card of two hosts"
head -1 "$dir/card" | grep -q 'elsewhere' || fail "no column for the second host"
[[ $(figure 'fork \(processes\)') =~ ms\ +[0-9.]+\ ms\ 1\.00x ]] || fail "no ratio to the first host"

"$parbench" report card --json "$csv" >"$dir/card.json" || fail "report card --json"
/usr/bin/python3 - "$dir/card.json" "$csv" <<'PY' || fail "the JSON does not hold the figures"
import json, sys
card = json.load(open(sys.argv[1]))
figures = {f["label"]: f for f in card["figures"]}
assert card["hosts"] and figures["fork (processes)"]["values"][0] > 0
assert figures["MPI add (mpi-fetch-op)"]["values"] == [None]
assert figures["MPI add (mpi-fetch-op)"]["command"].startswith("parbench run")
# The noise, restated: the spread (median absolute % deviation) of each configuration's valid
# repetitions, those on more threads than the host has left out.
import csv, statistics
groups = {}
for r in csv.DictReader(open(sys.argv[2])):
    if r["valid"] != "true" or int(r["rep"]) < 1:
        continue
    if int(r["workers"]) * int(r["threads_per_rank"]) > int(r["logical_cpus"]):
        continue
    key = tuple(r[k] for k in ("run_id", "kernel", "backend", "ipc", "schedule", "chunk",
                               "workers", "threads_per_rank", "size", "params"))
    groups.setdefault(key, []).append(float(r["wall_s"]))
spreads = []
for times in groups.values():
    if len(times) > 1:
        m = statistics.median(times)
        spreads.append(100 * statistics.median(abs(t - m) / m for t in times))
share = 100 * sum(s > 5 for s in spreads) / len(spreads)
assert abs(figures["configurations over 5% spread"]["values"][0] - share) < 1e-9, share
PY
echo ok
