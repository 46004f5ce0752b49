#!/usr/bin/env bash
# hybrid.sh PARBENCH HYBRIDS: mpi+threads (and mpi+tbb) give the serial hit count and prime counts at
# every ranks x threads shape and schedule; the CSV records both numbers, one load per thread and
# the ranks' CPUs; a stop flag, which cannot reach threads inside ranks, is refused with the reason.
set -euo pipefail
parbench=$1
hybrids=$2
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/log" 2>/dev/null; exit 1; }

"$parbench" run --backend "serial,mpi,$hybrids" --workers 1,2 --threads-per-rank 1,3 \
  --samples 1000003 --seed 5 --schedule static,cyclic,dynamic --chunk 40000 --warmup 0 --repeat 1 \
  --csv "$dir/pi.csv" >"$dir/log" 2>&1 || fail "pi run failed"
[[ $(csv_column "$dir/pi.csv" result | sort -u | wc -l) -eq 1 ]] || fail "pi counts differ"
[[ $(csv_column "$dir/pi.csv" valid | sort -u) == true ]] || fail "invalid pi rows"
python3 - "$dir/pi.csv" "$hybrids" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
hybrids = sys.argv[2].split(",")
shapes = set()
for r in rows:
    workers, threads = int(r["workers"]), int(r["threads_per_rank"])
    loads = r["worker_items"].split(";")
    if r["backend"] in hybrids:
        shapes.add((r["backend"], r["schedule"], workers, threads))
        assert len(loads) == workers * threads, (r["backend"], workers, threads, loads)
        assert sum(map(int, loads)) == int(r["size"]), loads
        assert len(r["worker_cpus"]) > 0, "no CPUs recorded"
    else:
        assert threads == 1, r
expected = {(b, s, w, t) for b in hybrids for s in ("static", "cyclic", "dynamic")
            for w in (1, 2) for t in (1, 3)}
assert shapes == expected, sorted(expected - shapes)
PY
echo "pi: one count over $(($(wc -l <"$dir/pi.csv") - 1)) rows, every ranks x threads shape"

"$parbench" run --kernel primes --algo trial,mr --range A,B --backend "serial,$hybrids" --workers 2 \
  --threads-per-rank 2 --schedule static,dynamic --chunk 5000 --warmup 0 --repeat 1 \
  --csv "$dir/primes.csv" >"$dir/log" 2>&1 || fail "primes run failed"
[[ $(csv_column "$dir/primes.csv" valid | sort -u) == true ]] || fail "invalid primes rows"
echo "primes: $(($(wc -l <"$dir/primes.csv") - 1)) valid rows"

# A flag needs every thread of every rank to see it: no mechanism does; named, it is refused.
hybrid=${hybrids%%,*}
if "$parbench" run --kernel verify --ipc mpi-msg --backend "$hybrid" --workers 2 >"$dir/log" 2>&1; then
  fail "verify with mpi-msg on $hybrid ran"
fi
grep -q "cannot run on backend $hybrid: .*MPI ranks with threads inside each" "$dir/log" ||
  fail "no reason given"
echo ok
