#!/usr/bin/env bash
# Killing the broker process mid-run is reported (a failed, invalid row; exit code 1) within
# seconds, and nothing is left behind: no process, no socket or temporary directory.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
# A check every 10 candidates through the broker: this run would take hours.
"$parbench" run --kernel verify --n 100109100129100151 --ipc broker --check-every 10 --backend threads \
  --workers 2 --warmup 0 --repeat 1 --csv "$dir/out.csv" >"$dir/log" 2>&1 &
pid=$!
sleep 1.5
broker=$(pgrep -P "$pid" | head -1)
fail() { echo "FAIL: $*"; cat "$dir/log"; kill -9 "$pid" 2>/dev/null; exit 1; }
[[ -n $broker ]] || fail "no broker process found"
kill -9 "$broker"
for _ in $(seq 200); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null && fail "parbench still runs 20 s after the broker died"
wait "$pid"
rc=$?
[[ $rc -eq 1 ]] || fail "exit code $rc, expected 1"
grep -q "broker" "$dir/out.csv" || fail "the failed row does not name the broker"
grep -q ",false," "$dir/out.csv" || fail "the row is not marked invalid"
[[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
echo ok
