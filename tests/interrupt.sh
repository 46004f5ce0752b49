#!/usr/bin/env bash
# interrupt.sh PARBENCH BACKEND [IPC]: Ctrl-C (SIGINT) in the middle of a run exits with 130, stops
# every worker (mpirun and its ranks included) and server (the broker, a private redis-server: give
# IPC to run the verify kernel with that stop flag), removes shared memory and temporary files
# (Open MPI's vader segments and session directory too), leaves a CSV of whole rows only and the
# JSON of the configuration that finished, and says what it kept.
# INTERRUPT_GROUP=1 sends SIGINT to the whole process group, as a terminal's Ctrl-C does.
set -uo pipefail
parbench=$1
backend=$2
ipc=${3:-}
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp  # the run's private temporary directories land here, where we can look
mkdir -p "$TMPDIR"
shm_before=$(ls /dev/shm | sort)
# First a short configuration that completes (a whole row), then one that runs for minutes.
if [[ -z $ipc ]]; then
  work=(--samples 1000000,1e13)
else  # a check every 10 candidates through the flag: the prime takes minutes at least
  work=(--kernel verify --n 25,100109100129100151 --ipc "$ipc" --check-every 10)
fi
# Job control: the run gets a process group of its own, and SIGINT is not ignored in it (a
# non-interactive shell starts background commands with SIGINT ignored, which parbench respects).
set -m
"$parbench" run --backend "$backend" --workers 2 "${work[@]}" --warmup 0 --repeat 1 \
  --csv "$dir/out.csv" --json "$dir/out.json" >"$dir/out" 2>&1 &
pid=$!
set +m
for _ in $(seq 100); do
  [[ -s "$dir/out.csv" ]] && break
  sleep 0.1
done
sleep 1.5  # well inside the long configuration
if [[ ${INTERRUPT_GROUP:-0} == 1 ]]; then
  kill -INT -- "-$pid"
else
  kill -INT "$pid"
fi
wait "$pid"
rc=$?
fail() { echo "FAIL: $*"; cat "$dir/out"; exit 1; }
[[ $rc -eq 130 ]] || fail "exit code $rc, expected 130"
# Nothing may outlive the run: give orphans (if any) a moment to show.
sleep 1
left=$(ls /dev/shm | grep -c "^parbench-$pid-" || true)
[[ $left -eq 0 ]] || fail "$left shared-memory segments left in /dev/shm"
if [[ $backend == mpi ]]; then  # run alone (RUN_SERIAL): any new Open MPI segment is this run's
  new_shm=$(comm -13 <(echo "$shm_before") <(ls /dev/shm | sort) | grep '^vader' || true)
  [[ -z $new_shm ]] || fail "left in /dev/shm: $new_shm"
fi
[[ -z $(ls -A "$TMPDIR") ]] || fail "temporary files left: $(ls -A "$TMPDIR")"
stray=$(pgrep -f -- "$dir" || true)  # workers and ranks name the CSV, servers the private directory
[[ -z $stray ]] || fail "processes left running: $(ps -o pid,args -p $stray)"
# Python workers name nothing on their command lines: found by the TMPDIR they inherited.
for env in $(grep -l "TMPDIR=$TMPDIR" /proc/[0-9]*/environ 2>/dev/null); do
  p=${env#/proc/}
  p=${p%/environ}
  [[ $p == "$$" || $p == "$BASHPID" ]] && continue
  grep -q parbench "/proc/$p/cmdline" 2>/dev/null && fail "left running: $(tr '\0' ' ' <"/proc/$p/cmdline")"
done
[[ $(csv_field_counts "$dir/out.csv") == "$(head -1 "$dir/out.csv" | awk -F, '{print NF}')" ]] ||
  fail "CSV has partial rows"
[[ $(grep -c . "$dir/out.csv") -eq 2 ]] || fail "expected the header and one whole row"
python3 - "$dir/out.json" <<'PY' || fail "the JSON of the finished configuration is not there"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["complete"] is False and len(doc["configurations"]) == 1, doc
PY
grep -q "interrupted: kept the 1 configuration(s) that finished (1 rows) in $dir/out.csv and $dir/out.json" \
  "$dir/out" || fail "no line saying what was kept and where"
[[ -z $(ls -A "$dir" | grep -v -e '^out' -e '^tmp$') ]] || fail "stray files: $(ls -A "$dir")"
echo ok
