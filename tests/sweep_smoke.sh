#!/usr/bin/env bash
# `parbench sweep` runs the chunk-size and chunk-count sweep and names the best chunk size per
# backend, algorithm, range and order; every row is valid. --chunk replaces its sizes; the sizes
# that give 1 to 4 x workers chunks come from every range; --csv - keeps stdout pure CSV; a sieve
# (which cannot be shuffled) sweeps in order; a chunkless schedule is printed as a reference.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; cat "$dir/out" 2>/dev/null; exit 1; }
sweep=("$parbench" sweep --backend threads --workers 2 --warmup 0 --repeat 1)

"${sweep[@]}" --range A --algo mr --csv "$dir/sweep.csv" >"$dir/out" 2>&1 || fail "sweep"
[[ $(grep -c "best chunk size" "$dir/out") -eq 2 ]] || fail "no best chunk size for both orders"
grep -q "^  chunks:" "$dir/out" || fail "no chunk-count curve"
[[ $(csv_column "$dir/sweep.csv" valid | sort -u) == true ]] || fail "invalid rows"
chunks=$(csv_column "$dir/sweep.csv" chunk | sort -un | tr '\n' ' ')
for c in 1 2 4 1024 50000 10000 5000; do  # powers of two, the book's 50000, and size / n chunks
  grep -qw "$c" <<<"$chunks" || fail "chunk $c missing: $chunks"
done

# Two algorithms and two ranges: a curve each (x 2 orders), chunk counts from both ranges.
"${sweep[@]}" --range A,100000000:100003000 --algo mr,trial --csv - >"$dir/sweep2.csv" 2>"$dir/out" ||
  fail "sweep over two ranges"
[[ $(grep -c "best chunk size" "$dir/out") -eq 8 ]] || fail "algorithms, ranges or orders share a curve"
[[ $(csv_field_counts "$dir/sweep2.csv") == "$(head -1 "$dir/sweep2.csv" | awk -F, '{print NF}')" ]] ||
  fail "stdout is not pure CSV"
grep -q "chunk-size sweep" "$dir/sweep2.csv" && fail "the summary went into the CSV on stdout"
chunks=$(csv_column "$dir/sweep2.csv" chunk | sort -un | tr '\n' ' ')
for c in 3334 1000 429; do  # 10000 / 3 from range A; 3000 / 3 and 3000 / 7 from the other range
  grep -qw "$c" <<<"$chunks" || fail "chunk $c missing: $chunks"
done

# --chunk gives the sizes.
"${sweep[@]}" --range A --algo mr --chunk 100,1000 --csv "$dir/sweep3.csv" >"$dir/out" 2>&1 ||
  fail "sweep --chunk"
[[ $(csv_column "$dir/sweep3.csv" chunk | sort -un | tr '\n' ' ') == "100 1000 " ]] ||
  fail "--chunk was not used: $(csv_column "$dir/sweep3.csv" chunk | sort -un | tr '\n' ' ')"

# A sieve sweeps in order only, with a note; a static schedule is a reference line.
"${sweep[@]}" --range A --algo sieve --chunk 1000 >"$dir/out" 2>&1 || fail "sweep --algo sieve"
grep -q "skipping the sieve with the shuffled order" "$dir/out" || fail "no note about the sieve"
[[ $(grep -c "best chunk size" "$dir/out") -eq 1 ]] || fail "the sieve's curve is missing"
"${sweep[@]}" --range A --algo mr --schedule static >"$dir/out" 2>&1 || fail "sweep --schedule static"
grep -Eq "^  static: [0-9.]+ s" "$dir/out" || fail "no summary for the static schedule"

# --for-ranks R[:S]: under each dynamic curve, the smallest chunk for efficiency 0.9 on R ranks of
# each network, c > R * s / (0.9 t) with the t the sweep measured, and whether K/R >= 10 chunks per
# rank leaves dynamic the schedule.
check_chunks() {  # RANKS NETWORKS: every advice line follows the formula from the printed t and s
  awk -v ranks="$1" -v networks="$2" '
    / dynamic keeps efficiency 0.9 while chunk > R\*s\/\(0.9\*t\), t = / {
      if ($2 != ranks) { print "ranks " $2 " != " ranks; bad = 1 }
      match($0, /t = [0-9.e+-]+ s per item/); t = substr($0, RSTART + 4, RLENGTH - 15) + 0; next }
    /\(s = [0-9.e+-]+ us\): smallest chunk [0-9]+, / {
      match($0, /s = [0-9.e+-]+ us/); s = substr($0, RSTART + 4, RLENGTH - 7) * 1e-6
      match($0, /smallest chunk [0-9]+/); c = substr($0, RSTART + 15, RLENGTH - 15) + 0
      want = int(ranks * s / (0.9 * t)) + 1
      if (t <= 0 || c < want * (1 - 1e-5) - 1 || c > want * (1 + 1e-5) + 1) {
        print "chunk " c " but R*s/(0.9 t) gives " want ": " $0; bad = 1 }
      lines++ }
    END { if (lines != networks) { print lines " advice lines, expected " networks; bad = 1 }
          exit bad }' "$dir/out"
}
"${sweep[@]}" --range A --algo mr --chunk 100,1000 --for-ranks 64 >"$dir/out" 2>&1 ||
  fail "sweep --for-ranks 64"
check_chunks 64 6 || fail "--for-ranks 64: three networks per order, chunk by the formula"
grep -q "^    infiniband-fat-tree (s = 0.65 us): smallest chunk" "$dir/out" || fail "no fat tree line"
grep -q "chunks per rank (under 10): dynamic cannot keep 0.9; use static" "$dir/out" ||
  fail "64 ranks of TCP on range A's 10^4 numbers: no advice to use static or cyclic"
"${sweep[@]}" --range A --algo mr --chunk 100 --for-ranks 2:0.01 >"$dir/out" 2>&1 ||
  fail "sweep --for-ranks 2:0.01"
check_chunks 2 2 || fail "--for-ranks 2:0.01: the user's network per order, chunk by the formula"
grep -Eq "^    your network \(s = 0.01 us\): smallest chunk [0-9]+, [0-9.e+]+ chunks per rank: dynamic$" \
  "$dir/out" || fail "a fast network on 2 ranks: dynamic not advised"
"${sweep[@]}" --range A --algo mr --chunk 100 >"$dir/out" 2>&1 || fail "sweep without --for-ranks"
grep -q "smallest chunk" "$dir/out" && fail "advice without --for-ranks"
echo ok
