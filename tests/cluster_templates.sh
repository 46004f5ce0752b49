#!/usr/bin/env bash
# cluster_templates.sh PARBENCH: the PBS template's job part (as PBS would run it: PBS_JOBID and a
# PBS_NODEFILE set) and the plain mpirun runner, on this one host: both write their CSV where they
# say, with valid rows of the ranks they started. (Submitting with qsub needs a PBS server; the
# Slurm template is tested on a real scheduler by cluster.template.)
set -euo pipefail
parbench=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*"; cat "$dir"/*.out "$dir"/*.err "$dir/log" 2>/dev/null | tail -30; exit 1; }
args="--kernel pi --samples 1e7 --warmup 0 --repeat 2"

check_rows() {  # check_rows CSV: rows of mpi at 2 ranks, all valid
  [[ -s $1 ]] || fail "no CSV at $1"
  [[ $(csv_column "$1" valid | sort -u) == true ]] || fail "invalid rows in $1"
  [[ $(csv_column "$1" workers | sort -u) == 2 ]] || fail "not 2 ranks in $1"
  echo "ok: $(($(wc -l <"$1") - 1)) valid rows in $(basename "$1")"
}

printf 'localhost\nlocalhost\n' >"$dir/nodefile"
PBS_JOBID=4242.pbs-server PBS_NODEFILE=$dir/nodefile PBS_O_WORKDIR=$dir NODES=1 RANKS_PER_NODE=2 \
  OUTPUT_DIR=$dir CLUSTER=pbs PARBENCH=$parbench BACKENDS=mpi BENCH_ARGS=$args \
  "$root/scripts/cluster/pbs.sh" >"$dir/log" 2>&1 || fail "pbs.sh failed"
check_rows "$dir/pbs-4242.csv"

echo "localhost slots=2" >"$dir/hosts"
HOSTFILE=$dir/hosts NODES=1 RANKS_PER_NODE=2 OUTPUT_DIR=$dir/out CLUSTER=plain PARBENCH=$parbench \
  BACKENDS=mpi,mpi+threads BENCH_ARGS=$args TIME_LIMIT=5m \
  "$root/scripts/cluster/mpirun-hostfile.sh" >"$dir/log" 2>&1 || fail "mpirun-hostfile.sh failed"
check_rows "$(ls "$dir"/out/plain-*.csv)"
[[ $(csv_column "$(ls "$dir"/out/plain-*.csv)" backend | sort -u | paste -sd,) == mpi,mpi+threads ]] ||
  fail "not both backends"
