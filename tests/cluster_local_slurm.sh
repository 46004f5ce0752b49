#!/usr/bin/env bash
# cluster_local_slurm.sh: scripts/cluster/local-slurm touches only what it made.
#  - start refuses (2, one line) a directory that is not empty and not its own, and one under /tmp;
#    stop refuses one that start did not mark: the files in them are kept.
#  - stop of a running cluster with a job: the job and the daemons are gone, but a process that only
#    mentions DIR in its environment (DIR itself, DIR-other) still runs, and a file the user put in
#    DIR is still there, alone.
# Never run against /, $HOME or another real directory: an older local-slurm deleted DIR outright.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
local_slurm=$here/../scripts/cluster/local-slurm
source "$here/process_checks.sh"
parent=$(mktemp -d /var/tmp/parbench-local-slurm.XXXXXX)
bystanders=()
cleanup() {
  local d
  for d in "$parent/c" "$parent/full" "/tmp/${parent##*/}"; do
    [[ -f $d/slurm.conf ]] && "$local_slurm" stop "$d" >/dev/null 2>&1
  done
  for pid in "${bystanders[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$parent" "/tmp/${parent##*/}"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

refused() {  # refused FILE_TO_KEEP local-slurm ARGS...: exit 2, one line on stderr, FILE kept
  local keep=$1 rc=0
  shift
  "$local_slurm" "$@" >"$parent/out" 2>"$parent/err" || rc=$?
  [[ $rc -eq 2 ]] || fail "local-slurm $*: exit $rc, expected 2: $(cat "$parent/err")"
  [[ $(wc -l <"$parent/err") -eq 1 ]] || fail "local-slurm $*: not one line: $(cat "$parent/err")"
  [[ -z $keep || -f $keep ]] || fail "local-slurm $* deleted $keep"
  echo "ok: refused: $(cat "$parent/err")"
}
mkdir "$parent/full"
echo precious >"$parent/full/data"
refused "$parent/full/data" start "$parent/full"
refused "$parent/full/data" stop "$parent/full"
refused "" start "/var/../tmp/${parent##*/}"  # /tmp, once resolved
# An empty directory of another user, or one others can write: root would write keys into it.
mkdir "$parent/theirs" "$parent/open"
chown 65534 "$parent/theirs"
chmod 777 "$parent/open"
refused "" start "$parent/theirs"
refused "" start "$parent/open"
[[ -z $(find "$parent/theirs" "$parent/open" -mindepth 1) ]] || fail "local-slurm wrote into a refused directory"

# A cluster in a new directory, a job on it, and two processes of the user that mention DIR.
dir=$parent/c
"$local_slurm" start "$dir" >"$parent/out" 2>"$parent/err"
rc=$?
if [[ $rc -eq 77 ]]; then
  echo "SKIPPED: $(cat "$parent/err")"
  exit 77
fi
[[ $rc -eq 0 ]] || fail "start: exit $rc: $(cat "$parent/err")"
D=$dir sleep 600 &
bystanders+=($!)
D=$dir-other sleep 600 &
bystanders+=($!)
export SLURM_CONF=$dir/slurm.conf
sbatch --quiet --output=/dev/null --wrap "sleep 600" >/dev/null || fail "sbatch failed"
job=""
for _ in $(seq 100); do  # the job's sleep: the one with a job id in its environment
  for p in $(pgrep -x sleep); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -q "^SLURM_CONF=$dir/slurm.conf$" &&
      grep -qa "^SLURM_JOB_ID=" <(tr '\0' '\n' <"/proc/$p/environ") && job=$p
  done
  [[ -n $job ]] && break
  sleep 0.2
done
[[ -n $job ]] || fail "the job's sleep did not start"
echo "user file" >"$dir/mine"
"$local_slurm" stop "$dir" 2>"$parent/err" || fail "stop: $(cat "$parent/err")"

for pid in "${bystanders[@]}"; do
  kill -0 "$pid" 2>/dev/null || fail "stop killed $pid, which only mentions $dir in its environment"
done
for pid in $job; do
  ! kill -0 "$pid" 2>/dev/null || fail "the job's process $pid still runs"
done
left=$(procs_mentioning "$dir/slurm.conf")
[[ -z $left ]] || fail "left running: $(for p in $left; do tr '\0' ' ' <"/proc/$p/cmdline"; echo; done)"
[[ $(ls -A "$dir") == mine ]] || fail "stop left or deleted files: $(ls -A "$dir")"
grep -q "kept $dir" "$parent/err" || fail "stop did not say it kept $dir"
echo "ok: job and daemons stopped; the user's processes and file kept"
