#!/usr/bin/env bash
# What a new user sees: --version; options of a kernel the run does not include are warned about;
# spread is "-" with one repetition; progress is one plain line every so often when stderr is a
# log (or TERM=dumb), never terminal escapes; the README's primes command with --shuffle skips the
# sieve with a note instead of refusing; a relative TMPDIR works; a closed pipe is no error.
set -uo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/err" 2>/dev/null; exit 1; }

version=$("$parbench" --version) || fail "--version"
grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+ \(' <<<"$version" || fail "--version printed '$version'"
# A reader that stops early (`parbench list | head -1`) gets no complaint, as with any Unix tool.
# Its stdout a pipe whose reader has already gone, so that the write surely fails.
/usr/bin/python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run([sys.argv[1], "list"], stdout=w).returncode)' "$parbench" 2>"$dir/err"
rc=$?
[[ $rc -eq 141 && ! -s $dir/err ]] || fail "list into a closed pipe: exit $rc"

"$parbench" run --backend serial --samples 1000 --n 9 --algo mr --warmup 0 --repeat 1 >"$dir/out" 2>"$dir/err" ||
  fail "a run with foreign options"
grep -q -- "--n is an option of the verify kernel" "$dir/err" || fail "--n with pi not warned about"
grep -q -- "--algo is an option of the primes kernel" "$dir/err" || fail "--algo with pi not warned about"
grep -Eq "^pi +serial +none +static +1 +[0-9.]+ +- " "$dir/out" || fail "spread is not - with one repetition: $(cat "$dir/out")"
# --seed belongs to no one kernel: a run where no workload takes the seed given says so.
"$parbench" run --backend serial --kernel primes --range A --seed 5 --warmup 0 --repeat 1 \
  >/dev/null 2>"$dir/err" || fail "primes with --seed"
grep -q -- "--seed is an option of pi and of fill's random rows" "$dir/err" ||
  fail "--seed with primes not warned about"
"$parbench" run --backend serial --samples 1000 --seed 5 --warmup 0 --repeat 1 >/dev/null \
  2>"$dir/err" || fail "pi with --seed"
! grep -q -- "--seed" "$dir/err" || fail "--seed with pi warned about: $(cat "$dir/err")"

# Progress in a log: plain lines, at the interval asked for, no escape codes.
PARBENCH_PROGRESS_INTERVAL_S=0.2 "$parbench" run --backend threads --workers 2 --samples 2e9 \
  --warmup 0 --repeat 3 >/dev/null 2>"$dir/err" || fail "a run with progress lines"
grep -q "^parbench: progress: \[1/1\] pi threads static workers=2: repetition" "$dir/err" ||
  fail "no progress line in the log"
grep -q $'\033' "$dir/err" && fail "escape codes in a log"
# TERM=dumb on a terminal: no escape codes either.
if command -v script >/dev/null; then
  TERM=dumb script -qec "$parbench run --backend serial --samples 1e8 --warmup 0 --repeat 2" \
    "$dir/typescript" >/dev/null || fail "a run on a pseudo-terminal"
  grep -q $'\033\\[K' "$dir/typescript" && fail "TERM=dumb got escape codes"
else
  echo "skipped: TERM=dumb on a terminal (no script(1) here)"
fi

# The README's primes command: the shuffled sieve is skipped with a note, the rest runs.
"$parbench" run --kernel primes --algo trial,mr,sieve --range A --backend threads --workers 2 \
  --shuffle --warmup 0 --repeat 1 --csv "$dir/primes.csv" >/dev/null 2>"$dir/err" ||
  fail "the README's primes command"
grep -q "skipping the sieve with the shuffled order" "$dir/err" || fail "no note about the sieve"
[[ $(csv_column "$dir/primes.csv" params | sort -u | wc -l) -eq 2 ]] || fail "trial and mr did not run"

# A relative TMPDIR: private servers and launches get an absolute directory.
mkdir -p "$dir/rel"
(cd "$dir" && TMPDIR=rel "$parbench" run --kernel verify --n 1000003 --ipc broker --backend threads \
  --workers 2 --warmup 0 --repeat 1 >/dev/null 2>"$dir/err") || fail "a relative TMPDIR"
if "$parbench" list | grep -E "^  redis .*\[yes" >/dev/null; then
  (cd "$dir" && TMPDIR=rel "$parbench" run --kernel verify --n 1000003 --ipc redis --backend threads \
    --workers 2 --warmup 0 --repeat 1 >/dev/null 2>"$dir/err") || fail "redis with a relative TMPDIR"
else
  echo "skipped: redis with a relative TMPDIR (no redis-server here)"
fi
[[ -z $(ls -A "$dir/rel") ]] || fail "left in TMPDIR: $(ls -A "$dir/rel")"
echo ok
