#!/usr/bin/env bash
# `parbench report verify CSV` prints the book's table (variants x numbers) from a CSV: one row per
# variant and check interval, one table per host, backend and worker count; a CSV with serial rows
# only gets a message, one without verify rows is bad input.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/table" 2>/dev/null; exit 1; }
"$parbench" run --kernel verify --n 9,1000003 --ipc none,shm --check-every 10,100000 \
  --backend serial,threads --workers 2 --warmup 0 --repeat 2 --csv "$dir/v.csv" >/dev/null 2>&1
"$parbench" report verify "$dir/v.csv" >"$dir/table"
grep -Eq "^variant .*9 .*1000003" "$dir/table" || fail "no header with both numbers"
grep -Eq "^shm K=10 +[0-9.]+ +[0-9.]+" "$dir/table" || fail "no row for shm at K=10"
grep -Eq "^shm K=100000 +[0-9.]+ +[0-9.]+" "$dir/table" || fail "no row for shm at K=100000"
grep -Eq "^less naive +[0-9.]+ +[0-9.]+" "$dir/table" || fail "no row for none (the book's less naive pool)"
grep -Eq "^serial +[0-9.]+ +[0-9.]+" "$dir/table" || fail "no serial row"
# none never looks at a flag: one configuration per number, whatever --check-every lists.
[[ $(csv_column "$dir/v.csv" params | grep -c "check_every=none") -eq 8 ]] ||
  fail "none's rows do not say check_every=none, or it ran once per K"

# The same rows from another host: a table of their own, not merged into this host's.
csv_on_two_hosts "$dir/v.csv" "$dir/two-hosts.csv"
"$parbench" report verify "$dir/two-hosts.csv" >"$dir/table"
[[ $(grep -c "^# verify: median seconds, threads with 2 workers on" "$dir/table") -eq 2 ]] ||
  fail "not one table per host"
grep -q "on elsewhere" "$dir/table" || fail "the other host is not named"

# Serial rows only: the serial times and a message.
"$parbench" run --kernel verify --n 9 --backend serial --warmup 0 --repeat 1 --csv "$dir/s.csv" \
  >/dev/null 2>&1
"$parbench" report verify "$dir/s.csv" >"$dir/table"
grep -q "no parallel rows" "$dir/table" || fail "no message for a CSV with serial rows only"
grep -Eq "^serial +[0-9.]+" "$dir/table" || fail "the serial time is missing"

"$parbench" run --backend serial --samples 1000 --warmup 0 --repeat 1 --csv "$dir/pi.csv" >/dev/null 2>&1
set +e
"$parbench" report verify "$dir/pi.csv" 2>"$dir/err"
rc=$?
[[ $rc -eq 2 && $(wc -l <"$dir/err") -eq 1 ]] || { echo "rc=$rc"; cat "$dir/err"; exit 1; }
echo ok
