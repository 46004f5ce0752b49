#!/usr/bin/env bash
# Warnings that mean something: pairs skipped because a mechanism cannot reach a backend's workers
# are one line (--verbose names each); a spread warning on a configuration the run itself
# oversubscribes is said once per run; the plan names each kernel setting once, its mechanisms
# together; oversubscription is one line per thread count; --no-spread-warnings silences spread.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
hog=
trap 'rm -rf "$dir"; [[ -z $hog ]] || kill "$hog" 2>/dev/null' EXIT
fail() { echo "FAIL: $*"; cat "$dir/err"; exit 1; }
hw=$(nproc)
over=$((hw * 2))
"$parbench" run --kernel count --increments 1000 --ipc all --backend threads,processes --workers "$over" \
  --warmup 0 --repeat 5 >"$dir/out" 2>"$dir/err"
# --ipc all means every variant that can run: the pairs that cannot are no warning at all.
! grep -q "pairs\? skipped\|skipping .* with ipc" "$dir/err" || fail "--ipc all warned about the pairs it skips"
# Named variants one of the backends cannot reach: one line.
"$parbench" run --kernel count --ipc atomic,mutex,shm-atomic,file-fcntl --backend threads,processes \
  --workers 2 --warmup 0 --repeat 1 >/dev/null 2>"$dir/named"
grep -q "^parbench: warning: 3 backend and ipc pairs skipped" "$dir/named" ||
  fail "no line counting the named pairs skipped: $(cat "$dir/named")"
! grep -q "skipping .* with ipc" "$dir/named" || fail "skipped pairs named without --verbose"
[[ $(grep -c "outnumber the" "$dir/err") -eq 1 ]] || fail "oversubscription said more than once"
! grep -q "workers=$over.*spread .* is over 5%" "$dir/err" ||
  fail "a spread warning for a configuration the run oversubscribes on purpose"
# One line for the count setting, and one for the counter on a server (where it was is a parameter).
(($(cat "$dir/err" "$dir/out" | grep -c "^  kernel     = count") <= 2)) ||
  fail "the plan names the count setting once per variant"
# Three at most, besides the one a sanitizer or Debug build of the tests adds.
(($(grep "warning" "$dir/err" | grep -vc "timings are only meaningful from a Release build") <= 3)) ||
  fail "more than 3 warning lines"

"$parbench" run --kernel count --ipc all --backend threads,processes --workers 2 --warmup 0 \
  --repeat 1 --verbose >"$dir/out" 2>"$dir/err"
grep -q "skipping threads with ipc file-fcntl" "$dir/err" || fail "--verbose does not name the pairs"
! grep -q "it needs made" "$dir/err" || fail "the need still reads 'it needs made ...'"
# --no-spread-warnings (scripts/bench, whose card counts them): none, where the same run warns.
# Runs of a fraction of a millisecond on one CPU shared with a busy loop: the scheduler's slices
# (milliseconds) interrupt some repetitions and not others, so they spread widely even on an idle
# machine (left alone, such runs can be steady); tried until one without the flag does warn.
tiny=(--kernel pi --samples 1e5 --backend serial,threads --workers 1 --warmup 0 --repeat 9)
# The first CPU this test may use (CPU 0 may not be in a container's or a job's set).
cpu=$(taskset -cp $$ | sed 's/.*: //; s/[,-].*//')
taskset -c "$cpu" bash -c 'while :; do :; done' &
hog=$!
compared=
for _ in 1 2 3 4 5; do
  taskset -c "$cpu" "$parbench" run "${tiny[@]}" >/dev/null 2>"$dir/err"
  grep -q "is over 5%" "$dir/err" || continue
  taskset -c "$cpu" "$parbench" run "${tiny[@]}" --no-spread-warnings >/dev/null 2>"$dir/err"
  ! grep -q "spread" "$dir/err" || fail "a spread warning with --no-spread-warnings"
  compared=yes
  break
done
kill "$hog"
wait "$hog" 2>/dev/null || true
hog=
[[ -n $compared ]] || fail "no run spread over 5% in 5 tries beside a busy loop: nothing to compare with"
echo ok
