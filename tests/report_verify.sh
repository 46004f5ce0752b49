#!/usr/bin/env bash
# `parbench report verify CSV` prints the book's table (variants x numbers) from a CSV, and a CSV
# without verify rows is bad input.
set -euo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$parbench" run --kernel verify --n 9,1000003 --ipc none,shm --backend serial,threads --workers 2 --warmup 0 \
  --repeat 2 --csv "$dir/v.csv" >/dev/null 2>&1
"$parbench" report verify "$dir/v.csv" >"$dir/table"
grep -q "^variant .*9 .*1000003" "$dir/table" || grep -q "^variant .*1000003 .*9" "$dir/table" || { cat "$dir/table"; exit 1; }
grep -Eq "^shm +[0-9.]+ +[0-9.]+" "$dir/table" || { cat "$dir/table"; exit 1; }
grep -Eq "^serial +[0-9.]+ +[0-9.]+" "$dir/table" || { cat "$dir/table"; exit 1; }
"$parbench" run --backend serial --samples 1000 --warmup 0 --repeat 1 --csv "$dir/pi.csv" >/dev/null 2>&1
set +e
"$parbench" report verify "$dir/pi.csv" 2>"$dir/err"
rc=$?
[[ $rc -eq 2 && $(wc -l <"$dir/err") -eq 1 ]] || { echo "rc=$rc"; cat "$dir/err"; exit 1; }
echo ok
