#!/usr/bin/env bash
# same_count.sh PARBENCH BACKENDS [EXTRA]: the hit count for (seed, N) is one exact integer for serial
# and for every listed backend at 1 to 5 workers (MPI: 1 to 4 ranks), also for an uneven N.
set -euo pipefail
parbench=$1
backends=$2
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
workers=1:5
[[ $backends == mpi ]] && workers=1:4
for samples in 1000007 3000000; do
  csv="$dir/$samples.csv"
  "$parbench" run --backend "serial,$backends" --workers "$workers" --samples "$samples" --seed 7 \
    --warmup 0 --repeat 2 --csv "$csv" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
  counts=$(csv_column "$csv" result | sort -u)
  [[ $(wc -l <<<"$counts") -eq 1 ]] || { echo "different counts for N=$samples: $counts"; exit 1; }
  invalid=$(csv_column "$csv" valid | grep -vc true || true)
  [[ $invalid -eq 0 ]] || { echo "$invalid invalid rows"; cat "$csv"; exit 1; }
  rows=$(($(wc -l <"$csv") - 1))
  echo "N=$samples: $rows rows, all with count $counts"
done
# A different seed gives a different count.
other=$("$parbench" run --backend serial --samples 1000007 --seed 8 --warmup 0 --repeat 1 --csv - 2>/dev/null)
other_count=$(csv_column <(echo "$other") result)
[[ $other_count != "$(csv_column "$dir/1000007.csv" result | head -1)" ]] || { echo "seeds 7 and 8 gave the same count"; exit 1; }
echo ok
