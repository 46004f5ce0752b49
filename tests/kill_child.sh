#!/usr/bin/env bash
# kill_child.sh PARBENCH WHAT: killing a child of a verify run mid-run (WHAT: broker, the broker
# process; redis, the private redis-server; worker, a forked worker) is reported within seconds (a
# failed, invalid row naming it; exit code 1), and nothing is left behind: no process, no socket,
# shared-memory segment or temporary file.
set -uo pipefail
parbench=$1
what=$2
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
case $what in
  # A check every 10 candidates through a server: this run would take hours.
  broker | redis) args=(--ipc "$what" --check-every 10 --backend threads --repeat 1) expect=$what ;;
  # 100 repetitions of the prime: half a minute.
  worker) args=(--ipc mmap-file --backend processes --repeat 100) expect="signal 9" ;;
  *) echo "unknown child $what"; exit 2 ;;
esac
"$parbench" run --kernel verify --n 100109100129100151 --workers 2 --warmup 0 "${args[@]}" \
  --csv "$dir/out.csv" >"$dir/log" 2>&1 &
pid=$!
sleep 1.5
fail() { echo "FAIL: $*"; cat "$dir/log"; kill -9 "$pid" 2>/dev/null; exit 1; }
kill_a_worker "$pid" || fail "killing its $what"
exits_within 20 "$pid" || fail "parbench still runs 20 s after its $what died"
wait "$pid"
rc=$?
[[ $rc -eq 1 ]] || fail "exit code $rc, expected 1"
grep -qi "$expect" "$dir/out.csv" || fail "the failed row does not say '$expect'"
grep -q ",false," "$dir/out.csv" || fail "the row is not marked invalid"
[[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
left=$(ls /dev/shm | grep -c "^parbench-$pid-" || true)
[[ $left -eq 0 ]] || fail "$left shared-memory segments left in /dev/shm"
stray=$(pgrep -f "$TMPDIR" || true)
[[ -z $stray ]] || fail "processes left: $(ps -o pid,args -p "$stray")"
echo ok
