#!/usr/bin/env bash
# fill: the book's shared array, one check per call.
#   fill.sh PARBENCH every BACKENDS   every variant on every backend of the list it reaches, 1 to 4
#                                     workers, every schedule, every first touch: a small array
#                                     filled and verified exactly (the census: one id per row, no
#                                     default left, no more ids than workers)
#   fill.sh PARBENCH random BACKENDS  random fills give one checksum on every backend and split
#   fill.sh PARBENCH inherited        the book's inherited-generator pitfall: forked workers write
#                                     duplicate rows (invalid, counted in error), threads do not
#   fill.sh PARBENCH memory           PSS per worker about size/workers where processes share the
#                                     block, about the size for copy (a loose bound, a small array)
#   fill.sh PARBENCH kill             a killed worker is reported; no segment or file is left
#   fill.sh PARBENCH interrupt        Ctrl-C: exit 130, no segment or file is left
#   fill.sh PARBENCH mpi              mpi-shared and mpi-gather at 1, 3 and 4 ranks, every schedule:
#                                     verified exactly, random fills equal to serial's, every rank
#                                     in the ledger, the gathered rows counted
#   fill.sh PARBENCH hugetlb          reserves huge pages (root) and fills through them; after the
#                                     run, a killed worker and Ctrl-C, every page is free again;
#                                     skipped (77) where they cannot be reserved
set -uo pipefail
parbench=$1 check=$2 backends=${3:-}
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; cat "$dir/err" 2>/dev/null | tail -20; exit 1; }
run() { "$parbench" run --kernel fill --warmup 1 --repeat 2 --csv "$dir/out.csv" "$@" 2>"$dir/err" >/dev/null; }

# judge CSV [EXPECT]: every row valid with a census within its workers (EXPECT=valid), or prints
# what a python expression over the rows asks.
rows_all_valid() {
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
for r in rows:
    m = dict(x.split("=") for x in r["measurements"].split(";") if x)
    where = f'{r["backend"]} {r["ipc"]} {r["schedule"]} workers={r["workers"]} {r["params"]}'
    assert r["valid"] == "true", where + ": " + r["error"]
    threads = 1 if r["backend"] == "serial" else int(r["workers"])
    if "fill=id" in r["params"]:
        assert 1 <= float(m["census_ids"]) <= threads, where + f': {m["census_ids"]} ids'
        assert float(m["census_min_rows"]) >= 1, where
print(len(rows), "rows,", len({(r["backend"], r["ipc"]) for r in rows}), "backend/variant pairs")
PY
}

nothing_left() {  # nothing_left PID: no segment, file or process of that run
  local left
  left=$(ls /dev/shm | grep -c "^parbench-$1-" || true)
  [[ $left -eq 0 ]] || fail "$left shared-memory segments or files left in /dev/shm"
  [[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
  [[ -z $(pgrep -P "$1" || true) ]] || fail "children of $1 still run"
}

# A long fill through IPC on 2 forked workers, running in the background: its pid in $pid.
long_fill() {
  "$parbench" run --kernel fill --backend processes --workers 2 --rows 64 --cols 32768 \
    --ipc "$1" --warmup 0 --repeat 10000 --csv "$dir/out.csv" >"$dir/err" 2>&1 &
  pid=$!
  sleep 1.5
}
killed_worker() {  # killed_worker IPC: a worker killed mid-run is reported; nothing is left
  long_fill "$1"
  kill_a_worker "$pid" || fail "$1: a worker killed"
  ends_with 20 "$pid" 1 || fail "$1, a worker killed"
  grep -q "signal 9" "$dir/out.csv" || fail "$1: the failed row does not say signal 9"
  nothing_left "$pid"
  echo "$1: a killed worker: ok"
}
interrupted() {  # interrupted IPC: Ctrl-C ends the run with 130; nothing is left
  set -m  # a process group of its own, where SIGINT is not ignored
  long_fill "$1"
  set +m
  kill -INT "$pid"
  ends_with 20 "$pid" 130 || fail "$1, Ctrl-C"
  sleep 0.5
  nothing_left "$pid"
  echo "$1: Ctrl-C: ok"
}

case $check in
  every)
    run --backend "$backends" --workers 1:4 --schedule static,cyclic,dynamic,queue,auto --chunk 1,3 \
      --rows 23 --cols 777 --ipc all --first-touch parent,workers,populate || fail "run failed"
    rows_all_valid "$dir/out.csv" || fail "a row is wrong"
    pairs=$(python3 -c 'import csv, sys
print(" ".join(sorted({r["backend"] + ":" + r["ipc"] for r in csv.DictReader(open(sys.argv[1]))})))' \
      "$dir/out.csv")
    for pair in serial:copy processes:copy processes:mmap processes:shm threads:none threads:mmap-file; do
      [[ " $pairs " == *" $pair "* ]] || fail "no row for $pair (rows for: $pairs)"
    done
    # The fill table from the CSV: a group per first touch, the census of 4 workers' 23 rows.
    "$parbench" report fill "$dir/out.csv" >"$dir/table" || fail "report fill failed"
    [[ $(grep -c "^# fill on .*23 x 777 doubles" "$dir/table") -eq 3 ]] || fail "$(cat "$dir/table")"
    grep -Eq "^mmap +processes +4 .* 4, [0-9]+-[0-9]+$" "$dir/table" || fail "$(cat "$dir/table")" ;;
  random)
    run --backend "$backends" --workers 1:4 --schedule static,dynamic --chunk 1,5 --rows 37 \
      --cols 300 --fill random --ipc all || fail "run failed"
    rows_all_valid "$dir/out.csv" || fail "a row is wrong"
    sums=$(python3 -c 'import csv, sys
print(len({r["result"] for r in csv.DictReader(open(sys.argv[1]))}))' "$dir/out.csv")
    [[ $sums == 1 ]] || fail "$sums different checksums across backends and splits"
    # --seed is fill's as well as pi's (one option both read): two seeds, two checksums, each the
    # same on every backend.
    rm "$dir/out.csv"
    run --backend "$backends" --workers 2 --rows 37 --cols 300 --fill random --ipc shm \
      --seed 7,8 || fail "run with --seed 7,8 failed"
    python3 - "$dir/out.csv" <<'PY' || fail "--seed does not reach the random fills"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sums = {}
for r in rows:
    seed = [p for p in r["params"].split(";") if p.startswith("seed=")][0]
    sums.setdefault(seed, set()).add(r["result"])
assert sorted(sums) == ["seed=7", "seed=8"], sorted(sums)
assert all(len(v) == 1 for v in sums.values()) and sums["seed=7"] != sums["seed=8"], sums
PY
    ;;
  inherited)
    run --backend serial,threads,processes --workers 2 --schedule static --rows 40 --cols 500 \
      --fill random --rng inherited --ipc mmap
    python3 - "$dir/out.csv" <<'PY' || fail "the pitfall is not reported as it should be"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
by = {r["backend"]: r for r in rows}
assert by["processes"]["valid"] == "false", by["processes"]
assert "20 of 40 rows repeat another row" in by["processes"]["error"], by["processes"]["error"]
assert "duplicated_rows=20" in by["processes"]["measurements"]
for b in ("serial", "threads"):  # one generator, locked: right
    assert by[b]["valid"] == "true", by[b]["error"]
    assert "duplicated_rows=0" in by[b]["measurements"]
PY
    # The invalid row keeps what it measured: the fill table shows its GB/s, marked INVALID.
    "$parbench" report fill "$dir/out.csv" >"$dir/table" || fail "report fill"
    grep -Eq "^mmap +processes +2 +[0-9]+\.[0-9]{2} .*INVALID" "$dir/table" ||
      fail "the invalid row shows no time: $(cat "$dir/table")"
    ;;
  memory)
    # 64 MiB; the workers touch their own rows first, so nobody else shares their pages. What a
    # worker process holds besides the block (its libraries, a sanitizer's runtime) is measured on
    # a one-row array and taken off.
    for rows in 256 1; do
      run --backend processes --workers 2 --rows $rows --cols 32768 --ipc mmap,shm,copy \
        --first-touch workers || fail "run failed"
      mv "$dir/out.csv" "$dir/rows-$rows.csv"
    done
    python3 - "$dir/rows-256.csv" "$dir/rows-1.csv" <<'PY' || fail "PSS is not what sharing implies"
import csv, sys
size_mb = 64
def measured(path):
    out = {}
    for r in csv.DictReader(open(path)):
        m = {k: float(v) for k, v in (x.split("=") for x in r["measurements"].split(";"))}
        out.setdefault(r["ipc"], []).append(m)
    return out
big, small = measured(sys.argv[1]), measured(sys.argv[2])
for ipc, reps in big.items():
    others = min(m["pss_mb"] for m in small[ipc])  # all but the block, near enough
    for m in reps:
        pss = m["pss_mb"] - others
        print(ipc, "pss_mb", m["pss_mb"], "of which the block", pss, "bytes_copied", m["bytes_copied"])
        assert m["worker_processes"] == 2, m
        if ipc == "copy":  # its own copy of the whole array, and half its rows twice over
            assert pss > 0.9 * size_mb, pss
            assert m["bytes_copied"] == 3 * size_mb * 2**20, m["bytes_copied"]
        else:  # its half of the array
            assert 0.4 * size_mb < pss < 0.7 * size_mb, pss
            assert m["bytes_copied"] == 0
PY
    ;;
  kill)
    for ipc in shm mmap-file copy; do killed_worker "$ipc"; done ;;
  interrupt)
    for ipc in shm mmap-file copy; do interrupted "$ipc"; done ;;
  mpi)
    run --backend serial,mpi --workers 1,3,4 --schedule static,cyclic,dynamic --chunk 2 --rows 29 \
      --cols 515 --ipc all --fill id,random --first-touch workers \
      || fail "run failed"
    rows_all_valid "$dir/out.csv" || fail "a row is wrong"
    python3 - "$dir/out.csv" <<'PY' || fail "the MPI rows are not what they should be"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert {r["ipc"] for r in rows if r["backend"] == "mpi"} == {"mpi-shared", "mpi-gather"}
assert len({r["result"] for r in rows if "fill=random" in r["params"]}) == 1, "random checksums differ"
for r in rows:
    if r["backend"] != "mpi":
        continue
    m = {k: float(v) for k, v in (x.split("=") for x in r["measurements"].split(";"))}
    working = sum(1 for n in r["worker_items"].split(";") if n != "0")  # ranks that took rows
    assert m["worker_processes"] == working, r
    gathered = m["bytes_copied"]
    if r["ipc"] == "mpi-shared" or r["workers"] == "1":
        assert gathered == 0, r
    elif r["schedule"] != "dynamic":  # rank 0 keeps its own share; the rest is gathered
        assert 0 < gathered < 29 * 515 * 8, r
PY
    ;;
  hugetlb)
    knob=/proc/sys/vm/nr_hugepages
    before=$(cat $knob)
    if ! echo $((before + 16)) 2>/dev/null >$knob || (($(cat $knob) < before + 16)); then
      echo $before >$knob 2>/dev/null
      echo "skipped: cannot reserve huge pages here (needs root and free memory)"
      exit 77
    fi
    trap 'echo $before >'$knob'; rm -rf "$dir"' EXIT
    free_before=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
    run --backend serial,threads,processes --workers 1:2 --rows 16 --cols 32768 --ipc hugetlb \
      --first-touch parent,workers || fail "run failed"
    rows_all_valid "$dir/out.csv" || fail "a row is wrong"
    grep -q "minor_faults=2;" "$dir/out.csv" || fail "no row with 2 faults (2 huge pages, 4 MiB)"
    pages_back() {  # every reserved page is free again
      local free_after
      free_after=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
      [[ $free_after -eq $free_before ]] || fail "huge pages free: $free_before before, $free_after after $1"
    }
    pages_back "a run"
    killed_worker hugetlb
    pages_back "a killed worker"
    interrupted hugetlb
    pages_back "Ctrl-C" ;;
  *) echo "unknown check $check"; exit 2 ;;
esac
echo ok
