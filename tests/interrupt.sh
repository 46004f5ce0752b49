#!/usr/bin/env bash
# interrupt.sh PARBENCH BACKEND [IPC]: Ctrl-C (SIGINT) in the middle of a run exits with 130, stops
# every worker (mpirun and its ranks included) and server (the broker, a private redis-server: give
# IPC to run the verify kernel with that stop flag), removes shared memory and temporary files, and
# leaves a CSV of whole rows only.
set -uo pipefail
parbench=$1
backend=$2
ipc=${3:-}
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp  # the run's private temporary directories land here, where we can look
mkdir -p "$TMPDIR"
# First a short configuration that completes (a whole row), then one that runs for minutes.
if [[ -z $ipc ]]; then
  work=(--samples 1000000,1e13)
else  # a check every 10 candidates through the flag: the prime takes minutes at least
  work=(--kernel verify --n 25,100109100129100151 --ipc "$ipc" --check-every 10)
fi
"$parbench" run --backend "$backend" --workers 2 "${work[@]}" --warmup 0 --repeat 1 \
  --csv "$dir/out.csv" >"$dir/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
  [[ -s "$dir/out.csv" ]] && break
  sleep 0.1
done
sleep 1.5  # well inside the long configuration
kill -INT "$pid"
wait "$pid"
rc=$?
fail() { echo "FAIL: $*"; cat "$dir/out"; exit 1; }
[[ $rc -eq 130 ]] || fail "exit code $rc, expected 130"
sleep 0.5
left=$(ls /dev/shm | grep -c "^parbench-$pid-" || true)
[[ $left -eq 0 ]] || fail "$left shared-memory segments left in /dev/shm"
[[ -z $(ls -A "$TMPDIR") ]] || fail "temporary files left: $(ls -A "$TMPDIR")"
stray=$(pgrep -f -- "$dir" || true)  # workers and ranks name the CSV, servers the private directory
[[ -z $stray ]] || fail "processes left running: $(ps -o pid,args -p $stray)"
[[ $(csv_field_counts "$dir/out.csv") == "$(head -1 "$dir/out.csv" | awk -F, '{print NF}')" ]] ||
  fail "CSV has partial rows"
[[ $(grep -c . "$dir/out.csv") -eq 2 ]] || fail "expected the header and one whole row"
echo ok
