#!/usr/bin/env bash
# `parbench sweep` runs the chunk-size and chunk-count sweep and names the best chunk size per backend
# and order; every row is valid.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$parbench" sweep --backend threads --workers 2 --range A --algo mr --warmup 0 --repeat 1 \
  --csv "$dir/sweep.csv" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
[[ $(grep -c "best chunk size" "$dir/out") -eq 2 ]] || { echo "no best chunk size for both orders"; cat "$dir/out"; exit 1; }
grep -q "^  chunks:" "$dir/out" || { echo "no chunk-count curve"; exit 1; }
[[ $(csv_column "$dir/sweep.csv" valid | sort -u) == true ]] || { echo "invalid rows"; exit 1; }
chunks=$(csv_column "$dir/sweep.csv" chunk | sort -un | tr '\n' ' ')
for c in 1 2 4 1024 50000 10000 5000; do  # powers of two, the book's 50000, and size / n chunks
  grep -qw "$c" <<<"$chunks" || { echo "chunk $c missing: $chunks"; exit 1; }
done
echo ok
