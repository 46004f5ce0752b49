#!/usr/bin/env bash
# scripts/bench, the README's first command, at toy sizes on the build under test: the default
# matrix runs every backend it names, the pitfall shown on purpose neither fails the script nor
# hides what follows, the python rows' table follows their slice where python runs, and it ends
# with exit 0, the card (its noise line included), the pitfall's note, the path of the CSV and its
# figures, and last the path of its page, which holds the card and every host; at most 3 warning
# lines, none of them about spread.
set -uo pipefail
parbench=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$dir/out" "$dir/err"; exit 1; }
PARBENCH_BENCH_SMOKE=$parbench PARBENCH_RESULTS=$dir/results "$root/scripts/bench" \
  >"$dir/out" 2>"$dir/err" || fail "exit code $?"
csv=$(sed -n 's/^results written to //p' "$dir/out")
[[ -n $csv && -s $csv ]] || fail "no 'results written to' line naming a CSV"
[[ -d ${csv%.csv}-figures ]] || fail "no figures beside the CSV"
grep -q "^What parallelism costs here" "$dir/out" || fail "no card"
page=$(tail -n 1 "$dir/out" | sed -n 's/^page: //p')
[[ $page == "${csv%.csv}-page/index.html" && -s $page ]] || fail "the last line does not name the page"
for section in machines costs figures comparison provenance; do
  grep -q "<section id='$section'>" "$page" || fail "the page has no section $section"
done
grep -q "What parallelism costs here\|flag look" "$page" || fail "the page has no card"
! grep -q "<script\|<link\|src=" "$page" || fail "the page fetches or runs something"
grep -q "^noise  *configurations over 5% spread  *[0-9]*%" "$dir/out" || fail "no noise line"
grep -q "^pitfall shown on purpose: .* repeated rows" "$dir/out" || fail "no pitfall note"
# Where the python backend ran, its rows' table beside the native ones follows its slice.
if grep -q "^the Python rows beside their native ones: " "$dir/out"; then
  grep -Eq "^fill 16 +- +shm +static +2 " "$dir/out" || fail "no python table with fill's row"
fi
# Every backend of the matrix ran; the only invalid rows are the pitfall's, by design.
/usr/bin/python3 - "$csv" <<'PY' || fail "rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
backends = {r["backend"] for r in rows}
assert {"serial", "threads", "openmp", "processes", "tbb", "mpi", "redis-queue"} <= backends, backends
bad = [r for r in rows if r["valid"] != "true"
       and not ("rng=inherited" in r["params"] and r["backend"] == "processes")]
assert not bad, bad[:2]
assert any("rng=inherited" in r["params"] and r["valid"] == "false" for r in rows)
PY
! grep -q "spread" "$dir/err" || fail "a spread warning: the card counts them"
warnings=$(grep "warning" "$dir/err" | grep -vc "timings are only meaningful from a Release build")
((warnings <= 3)) || fail "$warnings warning lines"
# Nothing of the pitfall's own files is left beside the CSV.
[[ -z $(find "$dir/results" -name '.pitfall-*') ]] || fail "the pitfall's files were left"
echo "ok: $(wc -l <"$csv") rows, $warnings warning lines"
