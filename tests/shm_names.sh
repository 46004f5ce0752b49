#!/usr/bin/env bash
# shm_names.sh PARBENCH: another user who plants parbench's old, guessable names in /dev/shm
# ("parbench-<pid>-seg-0" and "-block-0", files and links, for every pid a run could get) cannot
# make a run fail, and nothing planted is removed, written or followed; the removal of what a
# killed run left takes only this user's plain files under a name parbench makes. In a private
# /dev/shm (tests/private_shm.sh); skipped (77) without root or unshare.
set -uo pipefail
parbench=$1
source "$(dirname "$0")/private_shm.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir
fail() { echo "FAIL: $*"; tail -20 "$dir/err" 2>/dev/null; exit 1; }

# The planting, in one process: in this pid namespace the runs get pids far below 10000.
echo victim >"$dir/victim"
cd /dev/shm || fail "no /dev/shm"
python3 - "$dir/victim" <<'PY' || fail "cannot plant"
import os, sys
for p in range(1, 10001):
    for name in (f"parbench-{p}-seg-0", f"parbench-{p}-seg-1"):
        open(name, "w").close()
        os.chown(name, 65534, 65534)
    os.symlink(sys.argv[1], f"parbench-{p}-block-0")
    os.lchown(f"parbench-{p}-block-0", 65534, 65534)
PY
planted=$(ls | wc -l)
# Leftovers of a dead pid: only the one under a name parbench makes is really one.
dead=3999999
: >"parbench-$dead-seg-0123456789abcdef"  # removed
: >"parbench-$dead-seg-0"                  # kept: not a name parbench makes
ln -s "$dir/victim" "parbench-$dead-seg-fedcba9876543210"  # kept: a link, not a segment
: >"parbench-$dead-block-00000000000000ff" # kept: another user's
chown 65534:65534 "parbench-$dead-block-00000000000000ff"
cd "$dir" || exit 1

valid_rows() {  # valid_rows CSV: at least one row, every row valid
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert rows, "no rows"
for r in rows:
    assert r["valid"] == "true", f'{r["kernel"]} {r["backend"]} {r["ipc"]}: {r["error"]}'
PY
}
check() {  # check WHAT ARGS...: a run that must succeed with every row valid
  local what=$1
  shift
  local rc=0
  rm -f "$dir/out.csv"
  "$parbench" run --warmup 0 --repeat 2 --csv "$dir/out.csv" "$@" >/dev/null 2>"$dir/err" || rc=$?
  valid_rows "$dir/out.csv" >>"$dir/err" 2>&1 || fail "$what (exit code $rc)"
  [[ $rc -eq 0 ]] || fail "$what: exit code $rc"
}
check "processes backend" --kernel pi --samples 1e5 --backend processes --workers 1:3
check "shm counters" --kernel count --ipc shm-atomic,shm-mutex --backend processes --workers 2 \
  --increments 1000
check "shm flags" --kernel verify --n 9,1099505336329 --ipc shm,shm-mutex --backend processes \
  --workers 2
check "blocks" --kernel fill --ipc shm,mmap-file --backend threads,processes --workers 2 --rows 8 \
  --cols 512
check "queue schedule" --kernel pi --samples 1e5 --backend processes --workers 2 --schedule queue

[[ $(cat "$dir/victim") == victim ]] || fail "a planted link was written through"
[[ -e /dev/shm/parbench-$dead-seg-0123456789abcdef ]] && fail "a dead run's segment was not removed"
left=$(ls /dev/shm | wc -l)
[[ $left -eq $((planted + 3)) ]] || fail "/dev/shm holds $left names, expected $((planted + 3))"
[[ -z $(find /dev/shm -mindepth 1 ! -user 65534 ! -name "parbench-$dead-seg-0" \
  ! -name "parbench-$dead-seg-fedcba9876543210") ]] || fail "a file of the runs was left"
[[ -z $(find /dev/shm -mindepth 1 -user 65534 -type f -size +0) ]] || fail "a planted file was written"
echo "ok: $planted planted names untouched, every run valid, nothing left"
