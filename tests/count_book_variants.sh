#!/usr/bin/env bash
# The book's counters as the book wrote them: multiprocessing.Value's own lock taken apart for the
# read and the write loses updates although a lock exists (shm-value); Value + Lock does not
# (shm-value-lock); the file counter reopened with truncation loses updates (file-truncate). A
# negative control's row says what it lost instead of a bare "ok", and the count table shows the
# spread of what the repetitions reached and marks times of the order of a wake-up.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/out" 2>/dev/null; exit 1; }
if (($(nproc) < 2)); then
  echo "skipped: one CPU, two workers never overlap and no race can show"
  exit 77
fi
# The safe one: exactly workers x N, every repetition.
"$parbench" run --kernel count --increments 1e5 --ipc shm-value-lock --backend threads,processes \
  --workers 2 --warmup 0 --repeat 3 >"$dir/out" 2>&1 || fail "shm-value-lock is not exact"
# The negative controls: valid (never more than was added), and over a few tries the race shows.
for variant in shm-value file-truncate; do
  increments=1e6  # long enough that the two overlap, even on a busy machine
  [[ $variant == file-truncate ]] && increments=2e3
  shown=
  for _ in 1 2 3 4 5; do
    "$parbench" run --kernel count --increments $increments --ipc $variant --backend processes \
      --workers 2 --warmup 0 --repeat 3 >"$dir/out" 2>&1 || fail "$variant gave an invalid row"
    if grep -q "ok, lost [1-9][0-9]* of" "$dir/out"; then
      shown=yes
      # The table keeps its columns apart, however many digits what was reached and its range have.
      grep -Eq "^$variant \(no lock\) +2 {2,}[0-9]+( \([0-9]+-[0-9]+\))? / [0-9]+ " "$dir/out" ||
        fail "$variant: the reached column runs into the workers column"
      break
    fi
  done
  [[ -n $shown ]] || fail "$variant never lost an update in 5 runs of 2 workers: the race no longer shows"
done
# The book's size: the table marks times of the order of waking the workers (under a millisecond;
# a sanitizer build may take longer), and says so under the table exactly when it marks one.
"$parbench" run --kernel count --increments book --ipc shm-mutex,shm-value --backend threads \
  --workers 2 --warmup 0 --repeat 3 >"$dir/out" 2>&1 || fail "the book's count run"
grep -q "reached (min-max) / expected" "$dir/out" || fail "no spread of what was reached"
grep -q "a lock per add where the variant has one" "$dir/out" || fail "the header still claims a lock for every row"
marked=$(grep -Ec '^shm-(mutex|value) .* [0-9.]+\* ' "$dir/out")
noted=$(grep -c '^\* under a millisecond' "$dir/out")
[[ ($marked -gt 0 && $noted -eq 1) || ($marked -eq 0 && $noted -eq 0) ]] ||
  fail "$marked times marked, $noted notes"
echo "times marked as of the order of a wake-up: $marked"
echo ok
