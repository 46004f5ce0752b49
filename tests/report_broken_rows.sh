#!/usr/bin/env bash
# `parbench report summary` on the broken CSVs of tests/python/hostile_csvs.py: each line that
# cannot be a row parbench wrote is one "FILE:LINE: why" on stderr and left out, the rest is
# summarised with exit 0; no usable row is one more line and exit 2. The Python reader
# (scripts/analysis/parbench_csv.py: compare, plot) says the same lines for the same files. Files of two schema versions concatenated
# whole (`cat`, each keeping its header) read as two blocks. Needs /usr/bin/python3 (its standard
# library only).
set -euo pipefail
parbench=$1
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export PYTHONDONTWRITEBYTECODE=1

"$parbench" run --kernel pi --samples 1e5 --backend serial,threads --workers 1,2 --warmup 0 \
  --repeat 2 --csv "$dir/good.csv" >/dev/null 2>&1
mkdir "$dir/cases"
/usr/bin/python3 "$root/tests/python/hostile_csvs.py" "$dir/good.csv" "$dir/cases"
while IFS=$'\t' read -r -a expected; do
  name=${expected[0]} usable=${expected[1]}
  file="$dir/cases/$name.csv"
  rc=0
  "$parbench" report summary "$file" >"$dir/out" 2>"$dir/err" || rc=$?
  printf '%s\n' "${expected[@]:2}" | sed '/^$/d' >"$dir/want"
  if ((usable > 0)); then
    [[ $rc -eq 0 ]] || fail "$name: exit $rc with $usable usable rows: $(cat "$dir/err")"
    grep -q '^pi  *threads ' "$dir/out" || fail "$name: no summary of the usable rows"
    ! grep '^pi ' "$dir/out" | grep -Eiq 'nan|inf| -[0-9]' ||
      fail "$name: a figure from a row left out: $(cat "$dir/out")"
    diff "$dir/want" "$dir/err" || fail "$name: not the lines expected on stderr"
  else
    [[ $rc -eq 2 && ! -s $dir/out ]] || fail "$name: exit $rc without a usable row"
    diff "$dir/want" <(sed '$d' "$dir/err") || fail "$name: not the lines expected on stderr"
    tail -1 "$dir/err" | grep -q '^parbench: error: no \(usable \)\?rows in the given files' ||
      fail "$name: no last line saying no row is usable: $(tail -1 "$dir/err")"
  fi
  # The Python reader: the same lines for the same file.
  /usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import parbench_csv
print("\n".join(parbench_csv.read(sys.argv[2])[1]))' "$root/scripts/analysis" "$file" |
    sed '/^$/d' >"$dir/python"
  diff "$dir/want" "$dir/python" || fail "$name: the Python reader says otherwise"
done <"$dir/cases/expected"

# Schema 2 (a reference run) and this version concatenated whole: every configuration of both.
configurations() { sed -n 's/^# \([0-9]*\) configuration.*/\1/p' "$1" | paste -sd+ | bc; }
reference="$root/results/reference/vm-epyc-2vcpu-pi-1e10.csv"
cat "$reference" "$dir/good.csv" >"$dir/two-versions.csv"
"$parbench" report summary "$dir/two-versions.csv" >"$dir/out" 2>"$dir/err" ||
  fail "two schema versions concatenated: $(cat "$dir/err")"
"$parbench" report summary "$reference" >"$dir/reference"
"$parbench" report summary "$dir/good.csv" >"$dir/good"
[[ ! -s $dir/err ]] || fail "two schema versions concatenated: $(cat "$dir/err")"
both=$(($(configurations "$dir/reference") + $(configurations "$dir/good")))
[[ $(configurations "$dir/out") -eq $both ]] ||
  fail "not every configuration of both: $(cat "$dir/out")"
echo ok
