#!/usr/bin/env bash
# kill_lock_holder.sh PARBENCH VARIANT: a forked worker killed while it holds the counter's lock
# (--lock-scope all: each worker holds it around its whole loop, so the running worker is the holder
# and the other sleeps on the lock) fails the configuration within seconds with the worker's pid and
# signal, and nothing is left behind. The backend sees the death and kills the waiter, whatever the
# lock: a process-shared mutex or semaphore whose owner died would otherwise stay locked forever.
set -uo pipefail
parbench=$1
variant=$2
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; cat "$dir/log"; kill -9 "$pid" 2>/dev/null; exit 1; }
# Hours of increments under one lock per worker.
"$parbench" run --kernel count --ipc "$variant" --lock-scope all --increments 1e12 \
  --backend processes --workers 2 --warmup 0 --repeat 1 --csv "$dir/out.csv" >"$dir/log" 2>&1 &
pid=$!
holder=""
for _ in $(seq 100); do  # the worker that runs while the other sleeps: the holder
  sleep 0.1
  running=() sleeping=()
  for child in $(pgrep -P "$pid"); do
    case $(awk '{print $3}' "/proc/$child/stat" 2>/dev/null) in
      R) running+=("$child") ;;
      S | D) sleeping+=("$child") ;;
    esac
  done
  if [[ ${#running[@]} -eq 1 && ${#sleeping[@]} -eq 1 ]]; then
    holder=${running[0]} waiter=${sleeping[0]}
    break
  fi
done
[[ -n $holder ]] || fail "no worker holding the lock while the other waits"
kill -9 "$holder"
exits_within 5 "$pid" || fail "parbench still runs 5 s after the lock holder $holder died"
wait "$pid"
rc=$?
[[ $rc -eq 1 ]] || fail "exit code $rc, expected 1"
grep -q "pid $holder) was killed by signal 9" "$dir/out.csv" || fail "the row does not name pid $holder and its signal"
[[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
left=$(ls /dev/shm | grep -c "^parbench-$pid-" || true)
[[ $left -eq 0 ]] || fail "$left shared-memory segments left in /dev/shm"
kill -0 "$waiter" 2>/dev/null && fail "the worker waiting for the lock ($waiter) is left"
echo "ok: killed the holder $holder of $variant's lock"
