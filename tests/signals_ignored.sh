#!/usr/bin/env bash
# `nohup parbench run ...`: a signal ignored when parbench starts stays ignored, in parbench and in
# the workers it forks, so a SIGHUP (the terminal closing) does not end the run.
set -uo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/log"; exit 1; }
# What nohup does: SIGHUP ignored, then exec.
(trap '' HUP; exec "$parbench" run --backend processes --workers 2 --samples 2e9 --warmup 0 \
  --repeat 3 --csv "$dir/out.csv") >"$dir/log" 2>&1 &
pid=$!
workers=""
for _ in $(seq 100); do
  workers=$(pgrep -P "$pid" || true)
  [[ -n $workers ]] && break
  sleep 0.1
done
[[ -n $workers ]] || fail "no forked workers"
sleep 0.5
kill -HUP "$pid" $workers
wait "$pid"
rc=$?
[[ $rc -eq 0 ]] || fail "exit code $rc after SIGHUP, expected 0"
[[ $(csv_column "$dir/out.csv" valid | sort -u) == true ]] || fail "invalid rows"
[[ $(csv_column "$dir/out.csv" backend | grep -c processes) -eq 3 ]] || fail "rows missing"
echo ok
