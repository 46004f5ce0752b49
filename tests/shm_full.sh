#!/usr/bin/env bash
# shm_full.sh PARBENCH: a /dev/shm too small for a block (Docker's default is 64 MB), or full, is a
# failed row that says how much room there is, never a SIGBUS: every configuration of the plan
# still runs and nothing is left in /dev/shm; the same for the mmap-file flag's file in a full tmpfs
# $TMPDIR. In a private 8 MiB /dev/shm (tests/private_shm.sh); skipped (77) without root or unshare.
set -uo pipefail
parbench=$1
PRIVATE_SHM_SIZE=8m
source "$(dirname "$0")/private_shm.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TMPDIR=$dir
fail() { echo "FAIL: $*"; tail -20 "$dir/err" 2>/dev/null; exit 1; }

# run EXPECTED_EXIT ARGS...: exits as expected (1: some rows failed), never with a signal
run() {
  local expected=$1 rc=0
  shift
  rm -f "$dir/out.csv"
  "$parbench" run --warmup 0 --repeat 2 --csv "$dir/out.csv" "$@" >/dev/null 2>"$dir/err" || rc=$?
  [[ $rc -eq $expected ]] || fail "$* exited with $rc, expected $expected"
}
# rows WHAT EXPECTED PAIRS: every row fails with the text EXPECTED names for its "backend:ipc" or its
# "ipc" (a python dict), or else is valid; and PAIRS (backend:ipc, a list) all have rows
rows() {
  python3 - "$dir/out.csv" "$2" "$3" <<'PY' >"$dir/err" 2>&1 || fail "$1"
import ast, csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
expected = ast.literal_eval(sys.argv[2])
for r in rows:
    where = f'{r["kernel"]} {r["backend"]} {r["ipc"]} workers={r["workers"]}'
    text = expected.get(f'{r["backend"]}:{r["ipc"]}', expected.get(r["ipc"]))
    if text is not None:
        assert r["valid"] != "true" and text in r["error"], where + ": " + r["error"]
    else:
        assert r["valid"] == "true", where + ": " + r["error"]
missing = set(sys.argv[3].split(",")) - {f'{r["backend"]}:{r["ipc"]}' for r in rows}
assert not missing, f"no row for {missing}"
print(len(rows), "rows")
PY
}
nothing_left() {
  [[ -z $(ls /dev/shm | grep -v '^filler$') ]] || fail "left in /dev/shm: $(ls /dev/shm)"
}

# A 16 MiB block in 8 MiB: shm and mmap-file fail, anonymous mmap runs, on every backend.
run 1 --kernel fill --ipc shm,mmap-file,mmap --backend serial,threads,processes --workers 2 \
  --rows 64 --cols 32768
block='MiB free; the block needs 16 MiB'
rows "16 MiB blocks" "{'shm': '$block', 'mmap-file': '$block'}" \
  serial:shm,serial:mmap-file,serial:mmap,threads:shm,threads:mmap-file,threads:mmap,processes:shm,processes:mmap-file,processes:mmap
nothing_left

# A full /dev/shm: the shm counters and flags fail with the reason, the others run.
head -c 16M /dev/zero >/dev/shm/filler 2>/dev/null
segment='/dev/shm has 0 MiB free; the shared segment needs'
run 1 --kernel count --ipc shm-mutex,atomic --backend threads --workers 2 --increments 1000
rows "count in a full /dev/shm" "{'shm-mutex': '$segment'}" threads:shm-mutex,threads:atomic
run 1 --kernel verify --n 9,1099505336329 --ipc shm,mmap --backend threads --workers 2
rows "verify in a full /dev/shm" "{'shm': '$segment'}" threads:shm,threads:mmap
# The processes backend's own segment: a failed row too, and the next configuration runs.
run 1 --kernel pi --samples 1e5 --backend processes,threads --workers 2
rows "processes in a full /dev/shm" "{'processes:none': '$segment'}" processes:none,threads:none
nothing_left

# Room for the processes backend's segment but not for the queue schedule's message queue.
rm /dev/shm/filler
head -c $((8 * 1024 * 1024 - 16 * 1024)) /dev/zero >/dev/shm/filler
run 1 --kernel pi --samples 1e5 --backend processes --workers 2 --schedule queue,static
python3 - "$dir/out.csv" <<'PY' >"$dir/err" 2>&1 || fail "a queue in a nearly full /dev/shm"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
by = {s: [r for r in rows if r["schedule"] == s] for s in ("queue", "static")}
assert by["queue"] and all("the jobs queue needs" in r["error"] for r in by["queue"]), by["queue"]
assert by["static"] and all(r["valid"] == "true" for r in by["static"]), by["static"]
PY
nothing_left
# The mmap-file flag's file in a full tmpfs $TMPDIR.
mkdir "$dir/full"
mount -t tmpfs -o size=64k tmpfs "$dir/full" || fail "cannot mount a tmpfs for TMPDIR"
head -c 1M /dev/zero >"$dir/full/filler" 2>/dev/null
TMPDIR=$dir/full run 1 --kernel verify --n 9,1099505336329 --ipc mmap-file,mmap --backend threads \
  --workers 2
rows "the mmap-file flag in a full TMPDIR" "{'mmap-file': \"the flag's file needs 4 KiB\"}" \
  threads:mmap-file,threads:mmap
[[ $(ls "$dir/full") == filler ]] || fail "left in TMPDIR: $(ls "$dir/full")"
umount "$dir/full"
echo "ok: no signal, a failed row with the room left for each configuration that needs /dev/shm"
