#!/usr/bin/env bash
# primes_counts.sh PARBENCH BACKENDS WORKERS SCHEDULES: prime counts of the book's ranges are right on
# every listed backend, schedule and worker count (every row valid, one count per range and algorithm),
# with chunks smaller than, and larger than, the range.
set -euo pipefail
parbench=$1
backends=$2
workers=$3
schedules=$4
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
check() {  # check ARGS...: run, then demand all rows valid and one count per (params)
  "$parbench" run --kernel primes --backend "serial,$backends" --workers "$workers" --schedule "$schedules" \
    --warmup 0 --repeat 1 --csv "$dir/out.csv" "$@" >"$dir/log" 2>&1 || { cat "$dir/log"; exit 1; }
  invalid=$(csv_column "$dir/out.csv" valid | grep -vc true || true)
  [[ $invalid -eq 0 ]] || { echo "$invalid invalid rows for $*"; grep -v ',true,' "$dir/out.csv" | head; exit 1; }
  python3 - "$dir/out.csv" <<'PY'
import csv, sys, collections
counts = collections.defaultdict(set)
for row in csv.DictReader(open(sys.argv[1])):
    counts[row["params"].split(";algo=")[0].replace("algo=", "").split(";")[1]].add(row["result"])
bad = {k: v for k, v in counts.items() if len(v) != 1}
assert not bad, bad
PY
  echo "ok: $* ($(($(wc -l <"$dir/out.csv") - 1)) rows)"
  rm "$dir/out.csv"
}
check --algo trial,mr,sieve --range A --chunk 7,20000
check --algo mr,sieve --range B,D,E --chunk 1000
check --algo mr,sieve --range 0:10000000 --chunk 250000
check --algo sieve --range C --chunk 100000
check --algo trial,mr --range A --shuffle --chunk 100
