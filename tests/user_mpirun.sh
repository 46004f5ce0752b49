#!/usr/bin/env bash
# A cluster user starts the ranks: `mpirun -np 3 parbench run ...`. Rank 0 alone writes rows, which
# record 3 workers, the node count and every rank's host.
set -euo pipefail
parbench=$1
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -np 3 --oversubscribe --bind-to none "$parbench" run --samples 2000003 --warmup 0 --repeat 2 \
  --csv "$dir/out.csv" >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
[[ $(($(wc -l <"$dir/out.csv") - 1)) -eq 2 ]] || { echo "expected 2 rows"; cat "$dir/out.csv"; exit 1; }
[[ $(csv_column "$dir/out.csv" workers | sort -u) == 3 ]] || { echo "workers is not 3"; exit 1; }
[[ $(csv_column "$dir/out.csv" backend | sort -u) == mpi ]] || { echo "backend is not mpi"; exit 1; }
[[ $(csv_column "$dir/out.csv" nodes | sort -u) == 1 ]] || { echo "nodes is not 1"; exit 1; }
[[ $(csv_column "$dir/out.csv" worker_hosts | sort -u) == "$(hostname)*3" ]] || { echo "hosts wrong"; cat "$dir/out.csv"; exit 1; }
[[ $(csv_column "$dir/out.csv" valid | sort -u) == true ]] || { echo "invalid rows"; exit 1; }
# With Open MPI's default binding each rank may use one core: that is recorded (usable_cpus), and
# it is not taken for the node's size (no oversubscription warning, the plan names the node's).
mpirun -np 2 "$parbench" run --samples 2000003 --warmup 0 --repeat 1 --csv "$dir/bound.csv" \
  >"$dir/out" 2>&1 || { cat "$dir/out"; exit 1; }
grep -q "outnumber" "$dir/out" && { echo "oversubscription warned under mpirun"; cat "$dir/out"; exit 1; }
grep -q "hardware threads: $(nproc --all)" "$dir/out" || { echo "the plan does not name the node's threads"; cat "$dir/out"; exit 1; }
[[ $(csv_column "$dir/bound.csv" usable_cpus) -ge 1 ]] || { echo "no usable_cpus"; exit 1; }
expected=$("$parbench" run --backend serial --samples 2000003 --warmup 0 --repeat 1 --csv - 2>/dev/null | csv_column /dev/stdin result)
[[ $(csv_column "$dir/out.csv" result | sort -u) == "$expected" ]] || { echo "count differs from serial"; exit 1; }
echo ok
