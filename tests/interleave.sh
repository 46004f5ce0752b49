#!/usr/bin/env bash
# --interleave: the repetitions of all configurations run in rounds (every configuration's round 1,
# then every configuration's round 2, ...), each row records its round (and its rep is the round),
# and the results are what they are without rounds.
#   interleave.sh PARBENCH BACKENDS
set -euo pipefail
parbench=$1 backends=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/err"; exit 1; }
PARBENCH_PROGRESS_INTERVAL_S=0 "$parbench" run --kernel pi --samples 1e6 --backend "$backends" \
  --workers 2 --warmup 1 --repeat 3 --interleave --csv "$dir/rows.csv" >/dev/null 2>"$dir/err" ||
  fail "the interleaved run failed"
# The order in which repetitions ran, from the progress lines: "round 1/3" of every configuration
# before any "round 2/3".
grep -o 'round [0-9]/3' "$dir/err" | cut -c7 >"$dir/order"
[[ -s $dir/order ]] || fail "no progress lines with rounds"
sort -c "$dir/order" 2>/dev/null || fail "rounds ran out of order: $(tr '\n' ' ' <"$dir/order")"
python3 - "$dir/rows.csv" "$backends" <<'PY' || fail "wrong rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
backends = sys.argv[2].split(",")
for b in backends:
    mine = [r for r in rows if r["backend"] == b]
    assert [r["round"] for r in mine] == ["1", "2", "3"], (b, [r["round"] for r in mine])
    assert [r["rep"] for r in mine] == ["1", "2", "3"], b
    assert all(r["valid"] == "true" for r in mine), b
assert len({r["result"] for r in rows}) == 1, "the backends disagree"
PY
echo ok
