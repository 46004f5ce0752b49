#!/usr/bin/env bash
# python_backend.sh PARBENCH: the python backend's rows are judged like the native ones. pi's
# counts (numpy and pure Python) equal serial's exactly; primes by trial division gives the known
# count on every schedule; verify finds the factor under every flag with a Python form; a worker
# that raises or is killed gives a failed row naming it while the next configuration still runs;
# nothing (interpreter, worker, manager, temporary file) is left, also after a killed worker of a
# file counter or a broker flag; fill's checksum is serial's and its inherited generator repeats
# rows; `report python` puts the medians side by side; static and cyclic give every worker its
# share; an old, a stalled or a wrong interpreter is refused in one line, and a stalled one hangs
# neither `list` nor `run`.
# Skipped (77) where /usr/bin/python3 or numpy is missing.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
# Every process of this test carries the mark in its environment: none may be left.
export PARBENCH_TEST_MARK=python-backend-$$
listed=$("$parbench" list 2>&1)
grep -E '^ *python ' <<<"$listed" | grep -q 'CPython' ||
  { echo "skipped: $("$parbench" list 2>&1 | grep -E '^ *python ')"; exit 77; }

fail() { echo "FAIL: $*"; cat "$dir/log" 2>/dev/null; exit 1; }
# rows FILE: "backend schedule ipc workers result valid error" per row
rows() {
  /usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(r["backend"], r["schedule"], r["ipc"], r["workers"], r["result"], r["valid"], r["error"])' "$1"
}
no_leftovers() {
  sleep 0.2
  local left
  left=$(grep -l "PARBENCH_TEST_MARK=$PARBENCH_TEST_MARK" /proc/[0-9]*/environ 2>/dev/null |
    grep -v "^/proc/$$/" | grep -v "^/proc/self/" | grep -v "^/proc/$BASHPID/" || true)
  for f in $left; do  # this script's own subshells carry it too
    p=${f#/proc/}; p=${p%/environ}
    grep -q parbench_py "/proc/$p/cmdline" 2>/dev/null && fail "$1: left behind: $(tr '\0' ' ' <"/proc/$p/cmdline")"
  done
  [[ -z $(ls -A "$TMPDIR") ]] || fail "$1: left in TMPDIR: $(ls -A "$TMPDIR")"
}

# pi: the same count as serial, numpy and pure Python.
"$parbench" run --kernel pi --samples 200000 --seed 7 --backend serial,python,python-pure \
  --workers 1,2 --repeat 2 --warmup 0 --csv "$dir/pi.csv" >"$dir/log" 2>&1 || fail "pi run"
serial=$(rows "$dir/pi.csv" | awk '$1 == "serial" {print $5; exit}')
[[ $(rows "$dir/pi.csv" | awk -v s="$serial" '$5 == s && $6 == "true"' | wc -l) -eq 10 ]] ||
  fail "pi: not every row counted serial's $serial: $(rows "$dir/pi.csv")"
no_leftovers pi

# primes: the 551 primes of [10^8, 10^8 + 10^4), a listed range, on every schedule.
"$parbench" run --kernel primes --algo trial --range 1e8:100010000 --backend serial,python \
  --workers 2 --schedule static,cyclic,dynamic,queue --chunk 1000 --repeat 1 --warmup 0 \
  --csv "$dir/primes.csv" >"$dir/log" 2>&1 || fail "primes run"
[[ $(rows "$dir/primes.csv" | awk '$5 == 551 && $6 == "true"' | wc -l) -eq 5 ]] ||
  fail "primes: $(rows "$dir/primes.csv")"
no_leftovers primes

# verify: 1000003 * 1000033, its factor in the first worker's block, under each Python flag.
n=1000036000099
ipcs=none,shm,mmap,broker
redis=0
command -v redis-server >/dev/null && /usr/bin/python3 -c 'import redis' 2>/dev/null && redis=1
[[ $redis -eq 1 ]] && ipcs+=,redis
"$parbench" run --kernel verify --n $n --ipc $ipcs --backend serial,python --workers 2 \
  --check-every 1000 --repeat 2 --warmup 0 --csv "$dir/verify.csv" >"$dir/log" 2>&1 ||
  fail "verify run"
# Two repetitions of python per flag, each with the factor and valid.
[[ $(rows "$dir/verify.csv" | awk '$1 == "python" && $5 == 1000003 && $6 == "true"' | wc -l) -eq \
  $(($(tr ',' '\n' <<<"$ipcs" | wc -l) * 2)) ]] || fail "verify: $(rows "$dir/verify.csv")"
# The looks are the Python workers' own, counted once: the native flag, told by the backend's
# worker model that they report through it, adds none of its own (a second "checks").
/usr/bin/python3 -c 'import csv, re, sys
def looks(r): return [float(v) for v in re.findall(r"(?:^|;)checks=([^;]*)", r["measurements"])]
bad = [r["measurements"] for r in csv.DictReader(open(sys.argv[1]))
       if r["backend"] == "python" and r["ipc"] != "none" and (len(looks(r)) != 1 or looks(r)[0] <= 0)]
print(*bad, sep="\n")
sys.exit(1 if bad else 0)' "$dir/verify.csv" >"$dir/log" || fail "verify: python rows without exactly one checks > 0"
no_leftovers verify
# A flag without a Python form is refused in one line, not failed.
"$parbench" run --kernel verify --n $n --ipc shm-mutex --backend python --workers 2 --repeat 1 \
  --warmup 0 >"$dir/log" 2>&1
grep -q "refused: the python backend has no form of the shm-mutex flag" "$dir/log" ||
  fail "shm-mutex not refused"

# count: the book's counters; a locked one reaches 4000 of 4000, the negative control is judged
# by what it lost, as the native one (valid unless it overcounts).
counters=shm-mutex,file-fcntl,shm-value-lock,shm
[[ $redis -eq 1 ]] && counters+=,redis
"$parbench" run --kernel count --ipc $counters --increments 2000 --backend python --workers 2 \
  --repeat 1 --warmup 0 --csv "$dir/count.csv" >"$dir/log" 2>&1 || fail "count run"
got=$(rows "$dir/count.csv")
for c in ${counters//,/ }; do
  want="4000"
  [[ $c == shm ]] && want="[0-9]*"
  grep -q "^python static $c 2 $want true" <<<"$got" || fail "count $c: $got"
done
no_leftovers count

# fill: a multiprocessing.Array wrapped by numpy. The counter-based random array has serial's
# checksum on every schedule; the inherited generator's forks repeat rows: the rows say how many,
# invalid but measured, as the native processes' (exit 1, as for them: a row is invalid).
"$parbench" run --kernel fill --ipc shm --rows 40 --cols 500 --fill random \
  --backend serial,processes,python --workers 2 --schedule static,dynamic,queue --chunk 3 --repeat 2 --warmup 0 \
  --csv "$dir/fill.csv" >"$dir/log" 2>&1 || fail "fill run"
serial=$(rows "$dir/fill.csv" | awk '$1 == "serial" {print $5; exit}')
[[ $(rows "$dir/fill.csv" | awk -v s="$serial" '$1 == "python" && $5 == s && $6 == "true"' |
  wc -l) -eq 6 ]] || fail "fill: not every python row has serial's checksum $serial: $(rows "$dir/fill.csv")"
"$parbench" run --kernel fill --ipc shm --rows 40 --cols 500 --fill random --rng inherited \
  --backend python --workers 2 --repeat 1 --warmup 0 --csv "$dir/inherited.csv" >"$dir/log" 2>&1
rc=$?
got=$(rows "$dir/inherited.csv")
[[ $rc -eq 1 ]] && grep -q "^python static shm 2 [0-9]* false 20 of 40 rows repeat another row" <<<"$got" &&
  grep -q "duplicated_rows=20" "$dir/inherited.csv" || fail "fill inherited: exit code $rc: $got"
no_leftovers fill

# report python: each experiment's medians side by side, the ratio python / processes computed
# here again from the CSV; an invalid Python median is marked; no python rows, or no file, is one
# line and exit 2.
"$parbench" report python "$dir/fill.csv" >"$dir/table" 2>"$dir/log" || fail "report python"
/usr/bin/python3 - "$dir/fill.csv" "$dir/table" <<'PY' || fail "report python: $(cat "$dir/table")"
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["schedule"] == "static"]
median = {b: statistics.median(float(r["wall_s"]) for r in rows if r["backend"] == b)
          for b in ("processes", "python")}
x = median["python"] / median["processes"]
want = f"{x:.0f}x" if x >= 10 else f"{x:.1f}x"
line = next(l for l in open(sys.argv[2]) if l.startswith("fill 40 ") and " static " in l)
cells = line.split()
assert cells[2:6] == ["-", "shm", "static", "2"], cells
assert cells[-1] == want, (cells, want)  # no python-pure columns: it did not run
PY
"$parbench" report python "$dir/inherited.csv" >"$dir/table" 2>"$dir/log" || fail "report inherited"
grep -Eq '^fill 40 .* static +2 +- +- +[0-9.]+ (us|ms|s)! +-$' "$dir/table" ||
  fail "report python: the invalid median is not marked: $(cat "$dir/table")"
for bad in "$dir/primes-native.csv" "$dir/no-such.csv"; do
  [[ $bad == *native* ]] && "$parbench" run --kernel pi --samples 1000 --backend serial --repeat 1 \
    --warmup 0 --csv "$bad" >/dev/null 2>&1
  "$parbench" report python "$bad" >"$dir/log" 2>&1
  rc=$?
  [[ $rc -eq 2 && $(wc -l <"$dir/log") -eq 1 ]] || fail "report python $bad: exit code $rc: $(cat "$dir/log")"
done
grep -q "no rows of the python backends" <<<"$("$parbench" report python "$dir/primes-native.csv" 2>&1)" ||
  fail "report python without python rows"

# static and cyclic: every worker its own share in every repetition (a Pool's map once let one
# worker run both blocks); short tasks (--increments are per worker), so that a worker left idle
# would take the other's.
"$parbench" run --kernel count --ipc shm-mutex --increments 100 --backend python --workers 2 \
  --schedule static,cyclic --chunk 10 --repeat 5 --warmup 0 --csv "$dir/dealt.csv" \
  >"$dir/log" 2>&1 || fail "dealt run"
got=$(/usr/bin/python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    print(r["schedule"], r["worker_items"])' "$dir/dealt.csv")
[[ $(grep -cE '^(static|cyclic) 100;100$' <<<"$got") -eq 10 ]] || fail "dealt: $got"
no_leftovers dealt

# Faults: at 2 workers a worker raises, then is killed; the 1-worker configuration still runs.
for fault in raise kill; do
  PARBENCH_PY_FAULT=$fault:2 "$parbench" run --kernel primes --algo trial --range 1e8:100010000 \
    --backend python --workers 2,1 --repeat 1 --warmup 0 --csv "$dir/$fault.csv" >"$dir/log" 2>&1
  rc=$?
  [[ $rc -eq 1 ]] || fail "$fault: exit code $rc, expected 1"
  case $fault in
    raise) expect="python worker raised RuntimeError: injected fault" ;;
    kill) expect="was killed by signal 9" ;;
  esac
  got=$(rows "$dir/$fault.csv")  # grep -q on a pipe could end the writer early (pipefail)
  grep -q "^python static none 2 0 false .*$expect" <<<"$got" || fail "$fault: $got"
  grep -q "^python static none 1 551 true" <<<"$got" ||
    fail "$fault: the next configuration did not run: $got"
  no_leftovers "$fault"
done

# A killed worker of a file counter (its file) or of a broker flag (the Manager's pymp-*
# directory): the failed row, and nothing left in TMPDIR (no_leftovers).
for case in "count --ipc file --increments 2000" "verify --n $n --ipc broker --check-every 1000"; do
  PARBENCH_PY_FAULT=kill:2 "$parbench" run --kernel $case --backend python --workers 2 --repeat 1 \
    --warmup 0 --csv "$dir/killed.csv" >"$dir/log" 2>&1
  grep -q "^python static [a-z]* 2 .* false .*was killed by signal 9" <<<"$(rows "$dir/killed.csv")" ||
    fail "killed $case: $(rows "$dir/killed.csv")"
  no_leftovers "killed $case"
done

# Ctrl-C while a file counter's file exists: parbench ends in its signal handler, which empties
# the interpreter's TMPDIR too (no_leftovers).
set -m  # the run gets its own process group and keeps SIGINT (a background job would ignore it)
"$parbench" run --kernel count --ipc file --increments 2000000 --backend python --workers 2 \
  --repeat 3 --warmup 0 >"$dir/log" 2>&1 &
run=$!
for _ in $(seq 100); do
  [[ -n $(find "$TMPDIR" -name 'parbench-count-*') ]] && break
  sleep 0.1
done
[[ -n $(find "$TMPDIR" -name 'parbench-count-*') ]] || fail "interrupt: no counter file appeared"
kill -INT "$run"
wait "$run"
set +m
no_leftovers interrupt

# A stalled interpreter: `list` says so within the probe's 5 s; a plain run never asks it.
printf '#!/bin/sh\nexec sleep 60\n' >"$dir/stalled-python"
chmod +x "$dir/stalled-python"
PARBENCH_PYTHON=$dir/stalled-python timeout 20 "$parbench" list >"$dir/log" 2>&1 ||
  fail "list with a stalled python: exit code $?"
grep -q "PARBENCH_PYTHON=$dir/stalled-python did not answer in 5 s" "$dir/log" ||
  fail "stalled python: $(grep python "$dir/log")"
# The default matrix includes mpi: Open MPI keeps allocations until exit, which LeakSanitizer
# would report (as in every mpi test).
ASAN_OPTIONS=detect_leaks=0 PARBENCH_PYTHON=$dir/stalled-python timeout 10 "$parbench" run \
  --kernel pi --samples 1000 --repeat 1 --warmup 0 >"$dir/log" 2>&1 ||
  fail "a plain run with a stalled python: exit code $?"
pgrep -f "sleep 60" -s 0 >/dev/null 2>&1 && fail "the stalled python was left running"
# Not an interpreter at all: one line, exit 2.
for bad in "$dir" /bin/cat; do
  PARBENCH_PYTHON=$bad "$parbench" run --kernel pi --backend python --samples 1000 >"$dir/log" 2>&1
  rc=$?
  [[ $rc -eq 2 && $(wc -l <"$dir/log") -eq 1 ]] &&
    grep -q "PARBENCH_PYTHON=$bad is not a Python 3.9+ interpreter: " "$dir/log" ||
    fail "PARBENCH_PYTHON=$bad: exit code $rc: $(cat "$dir/log")"
done

# An interpreter older than the documented minimum: refused in one line, exit 2.
cat >"$dir/old-python" <<'PY'
#!/bin/sh
echo 3.6.9
echo 1.13.3
PY
chmod +x "$dir/old-python"
PARBENCH_PYTHON=$dir/old-python "$parbench" run --kernel pi --backend python --samples 1000 \
  >"$dir/log" 2>&1
rc=$?
[[ $rc -eq 2 && $(wc -l <"$dir/log") -eq 1 ]] && grep -q "older than 3.9" "$dir/log" ||
  fail "old Python: exit code $rc"
echo ok
