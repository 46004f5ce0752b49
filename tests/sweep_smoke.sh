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
# each network, from the t and N it printed: c*t/(R*s) * K/(K+R-1) >= 0.9 with K = N/c, that is
# c >= 0.9 R s N / (t N - 0.9 R s (R - 1)), or no chunk where that is not positive or exceeds N.
check_chunks() {  # RANKS NETWORKS: every advice line follows the formula from the printed t, N, s
  awk -v ranks="$1" -v networks="$2" '
    / MPI ranks dynamic.s efficiency is at most c\*t\/\(R\*s\) \* K\/\(K\+R-1\), K = N\/c / {
      if ($2 != ranks) { print "ranks " $2 " != " ranks; bad = 1 }
      match($0, /t = [0-9.e+-]+ s per item/); t = substr($0, RSTART + 4, RLENGTH - 15) + 0
      match($0, /N = [0-9]+:$/); n = substr($0, RSTART + 4, RLENGTH - 5) + 0; next }
    /\(s = [0-9.e+-]+ us\): / {
      match($0, /s = [0-9.e+-]+ us/); s = substr($0, RSTART + 4, RLENGTH - 7) * 1e-6
      r0 = 0.9 * ranks * s; room = t * n - r0 * (ranks - 1)
      want = room > 0 ? r0 * n / room : -1
      if (want > int(want)) want = int(want) + 1  # the next whole number, as the C++ rounds
      lines++
      if (t <= 0 || n <= 0) { print "no t or N before: " $0; bad = 1; next }
      if ($0 ~ /: no chunk: rank 0/) {
        if (want >= 0 && want <= n) { print "no chunk, but the formula gives " want ": " $0; bad = 1 }
        next }
      match($0, /smallest chunk [0-9]+/); c = substr($0, RSTART + 15, RLENGTH - 15) + 0
      if (want < 0 || c < want * (1 - 1e-5) - 1 || c > want * (1 + 1e-5) + 1) {
        print "chunk " c " but the formula gives " want ": " $0; bad = 1 } }
    END { if (lines != networks) { print lines " advice lines, expected " networks; bad = 1 }
          exit bad }' "$dir/out"
}
# What each line advises follows from its own chunks per rank (at least 10: dynamic; fewer: static
# or cyclic). Which advice a network gets depends on the t this build measured (a sanitizer build's
# is several times Release's), so the cases below are chosen to hold for any t.
check_advice() {
  awk '/smallest chunk [0-9]+, [0-9.e+]+ chunks per rank/ {
      match($0, /, [0-9.e+]+ chunks per rank/); k = substr($0, RSTART + 2, RLENGTH - 18) + 0
      if (k >= 10 && $0 !~ /chunks per rank: dynamic$/) { print "dynamic not advised: " $0; bad = 1 }
      if (k < 10 && $0 !~ /\(under 10\): use static/) { print "static not advised: " $0; bad = 1 } }
    END { exit bad }' "$dir/out"
}
# Range A (10^4 numbers, about 1 ms of work) on 4 ranks: a chunk by the formula on every network.
"${sweep[@]}" --range A --algo mr --chunk 100,1000 --for-ranks 4 >"$dir/out" 2>&1 ||
  fail "sweep --for-ranks 4"
check_chunks 4 6 || fail "--for-ranks 4: three networks per order, chunk by the formula"
check_advice || fail "--for-ranks 4: advice against chunks per rank"
# On 4096 ranks rank 0's last answers alone (0.9 x 4096 x 4095 x s: 9.8 s on the fat tree) outweigh
# any build's 10^4 numbers: no chunk on any network.
"${sweep[@]}" --range A --algo mr --chunk 1000 --for-ranks 4096 >"$dir/out" 2>&1 ||
  fail "sweep --for-ranks 4096"
check_chunks 4096 6 || fail "--for-ranks 4096: three networks per order, by the formula"
[[ $(grep -c "no chunk: rank 0's 4095 last answers outweigh the work; use static" "$dir/out") -eq 6 ]] ||
  fail "4096 ranks on range A's 10^4 numbers: not 'no chunk' on every network"
# A network of 0.01 us on 2 ranks: a chunk of a few numbers, thousands per rank, dynamic.
"${sweep[@]}" --range A --algo mr --chunk 100 --for-ranks 2:0.01 >"$dir/out" 2>&1 ||
  fail "sweep --for-ranks 2:0.01"
check_chunks 2 2 || fail "--for-ranks 2:0.01: the user's network per order, chunk by the formula"
check_advice || fail "--for-ranks 2:0.01: advice against chunks per rank"
grep -Eq "^    your network \(s = 0.01 us\): smallest chunk [0-9]+, [0-9.e+]+ chunks per rank: dynamic$" \
  "$dir/out" || fail "a fast network on 2 ranks: dynamic not advised"
"${sweep[@]}" --range A --algo mr --chunk 100 >"$dir/out" 2>&1 || fail "sweep without --for-ranks"
grep -q "smallest chunk" "$dir/out" && fail "advice without --for-ranks"
echo ok
