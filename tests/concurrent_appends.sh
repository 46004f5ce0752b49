#!/usr/bin/env bash
# Several parbench processes appending to one CSV at once produce one header and only whole rows.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pids=()
for i in 1 2 3 4 5 6; do
  "$parbench" run --backend serial,threads --workers 1,2 --samples 200000 --seed "$i" --warmup 0 \
    --repeat 20 --csv "$dir/all.csv" >/dev/null 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
header_count=$(grep -c '^schema_version,' "$dir/all.csv")
[[ $header_count -eq 1 ]] || { echo "$header_count headers"; exit 1; }
rows=$(($(wc -l <"$dir/all.csv") - 1))
[[ $rows -eq $((6 * 3 * 20)) ]] || { echo "$rows rows, expected 360"; exit 1; }
[[ $(csv_field_counts "$dir/all.csv" | wc -l) -eq 1 ]] || { echo "rows with different field counts"; exit 1; }
echo "ok: $rows whole rows"
