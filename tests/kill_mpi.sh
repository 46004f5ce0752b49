#!/usr/bin/env bash
# kill_mpi.sh PARBENCH WHAT: an MPI job killed from outside leaves nothing behind.
#  rank:     kill -9 of one rank during `run --backend mpi,threads`: a failed, invalid row naming the
#            rank, its host and the signal; the threads configuration still runs; exit code 1.
#  parbench: kill -9 of parbench itself: mpirun is told (SIGTERM, its death signal) and cleans up
#            its ranks and their shared memory; the next parbench removes the temporary directory
#            the killed one could not.
# Either way: no rank, mpirun or Open MPI segment (vader_segment.*) and, in the end, no temporary
# directory is left.
set -uo pipefail
parbench=$1
what=$2
source "$(dirname "$0")/csv_checks.sh"
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
shm_before=$(ls /dev/shm | sort)
fail() { echo "FAIL: $*"; cat "$dir/log"; kill "$pid" 2>/dev/null; exit 1; }
case $what in
  rank) args=(--backend mpi,threads --samples 3e9 --repeat 2) ;;
  parbench) args=(--backend mpi --samples 1e13 --repeat 1) ;;
  *) echo "unknown target $what"; exit 2 ;;
esac
"$parbench" run --workers 2 --warmup 0 "${args[@]}" --csv "$dir/out.csv" >"$dir/log" 2>&1 &
pid=$!
ranks=""
for _ in $(seq 300); do  # the ranks are mpirun's children, and mpirun is parbench's
  mpirun_pid=$(pgrep -P "$pid" || true)
  [[ -n $mpirun_pid ]] && ranks=$(pgrep -P "$mpirun_pid" || true)
  [[ $(wc -w <<<"$ranks") -eq 2 ]] && break
  sleep 0.1
done
[[ $(wc -w <<<"$ranks") -eq 2 ]] || fail "the two ranks did not start"
sleep 1
if [[ $what == rank ]]; then
  victim=$(tail -1 <<<"$ranks")
  kill -9 "$victim"
  exits_within 60 "$pid" || fail "parbench still runs a minute after a rank died"
  wait "$pid"
  rc=$?
  [[ $rc -eq 1 ]] || fail "exit code $rc, expected 1"
  row=$(grep "^[0-9]*,.*,mpi,none," "$dir/out.csv" || true)
  grep -q ",false," <<<"$row" || fail "no invalid mpi row: $row"
  grep -Eq "mpi rank [01]( \(pid [0-9]+\))? on host $(hostname) was killed by signal 9" <<<"$row" ||
    fail "the row does not name the rank, its host and the signal: $row"
  [[ $(csv_column "$dir/out.csv" backend | grep -c threads) -eq 2 ]] ||
    fail "the threads configuration did not run after the mpi one failed"
else
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
fi
# mpirun gets a few seconds to stop its ranks (they have TMPDIR in their environment).
for _ in $(seq 50); do
  [[ -z $(procs_mentioning "$TMPDIR") ]] && break
  sleep 0.1
done
stray=$(procs_mentioning "$TMPDIR")
[[ -z $stray ]] || fail "processes left: $(ps -o pid,args -p "$(tr '\n' ',' <<<"$stray" | sed 's/,$//')")"
# Run alone (RUN_SERIAL): any new Open MPI segment is this job's.
new_shm=$(comm -13 <(echo "$shm_before") <(ls /dev/shm | sort) | grep -E "^(vader|parbench-$pid-)" || true)
[[ -z $new_shm ]] || fail "left in /dev/shm: $new_shm"
if [[ $what == parbench ]]; then
  [[ -n $(ls -A "$TMPDIR") ]] || fail "expected the killed parbench's temporary directory"
  # A TMPDIR shared by a cluster's nodes: a directory made on another host is never removed.
  other="$TMPDIR/parbench-$pid-elsewhere"
  mkdir "$other" && echo some-other-node >"$other/host"
  "$parbench" list >/dev/null || fail "parbench list"
  [[ -d $other ]] || fail "another host's directory was removed"
  rm -r "$other"
fi
[[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")"
echo ok
