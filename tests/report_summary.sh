#!/usr/bin/env bash
# `parbench report summary CSV...` prints the table `run` printed, rebuilt from the rows: the same
# lines (medians, spread, speed-up against the same baselines), the ipc column as wide as its longest
# name; rows of two hosts give two tables; a file without rows is bad input.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
table() { sed -n '/^kernel  /,/^# [0-9]* configuration/p' "$1"; }  # the summary table's lines

"$parbench" run --kernel pi --samples 2e6 --backend serial,threads --workers 1,2 --warmup 0 \
  --repeat 3 --csv "$dir/pi.csv" >"$dir/run-pi" 2>/dev/null
"$parbench" report summary "$dir/pi.csv" >"$dir/summary-pi"
diff <(table "$dir/run-pi") <(table "$dir/summary-pi") || fail "the summary differs from run's table"

# A long ipc name keeps the columns aligned: every row's schedule starts where the header's does.
"$parbench" run --kernel count --ipc tbb-queuing-mutex,mutex --backend threads --workers 2 \
  --warmup 0 --repeat 2 --csv "$dir/count.csv" >"$dir/run-count" 2>/dev/null ||
  "$parbench" run --kernel count --ipc mutex,shm-mutex --backend threads --workers 2 \
    --warmup 0 --repeat 2 --csv "$dir/count.csv" >"$dir/run-count" 2>/dev/null
"$parbench" report summary "$dir/count.csv" >"$dir/summary-count"
for file in "$dir/run-count" "$dir/summary-count"; do
  column=$(table "$file" | head -1 | grep -bo 'schedule' | cut -d: -f1)
  table "$file" | sed -n '2,/^#/p' | grep -v '^#' | while IFS= read -r line; do
    [[ ${line:$column:6} == static ]] || fail "misaligned row in $file: $line"
  done
done

# Two hosts in one file: a table each.
csv_on_two_hosts "$dir/pi.csv" "$dir/two.csv"
"$parbench" report summary "$dir/two.csv" >"$dir/summary-two"
[[ $(grep -c '^# [0-9]* configuration' "$dir/summary-two") -eq 2 ]] || fail "not one table per host"
grep -q '^# elsewhere |' "$dir/summary-two" || fail "no machine line for the second host"

head -1 "$dir/pi.csv" >"$dir/empty.csv"
rc=0
"$parbench" report summary "$dir/empty.csv" 2>"$dir/err" || rc=$?
[[ $rc -eq 2 && $(wc -l <"$dir/err") -eq 1 ]] || fail "a file without rows: exit $rc, $(cat "$dir/err")"
echo ok
