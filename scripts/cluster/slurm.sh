#!/usr/bin/env bash
# parbench on a Slurm cluster. Run it on the login node: it submits itself with sbatch, and inside
# the job it runs the benchmark. Change the knobs here or set them in the environment:
#   NODES=4 RANKS_PER_NODE=1 THREADS_PER_RANK=32 scripts/cluster/slurm.sh
# Writes $OUTPUT_DIR/<cluster>-<jobid>.csv, and the job's .out and .err beside it.
NODES=${NODES:-2}
RANKS_PER_NODE=${RANKS_PER_NODE:-1}
THREADS_PER_RANK=${THREADS_PER_RANK:-1}    # for mpi+threads and mpi+tbb
TIME_LIMIT=${TIME_LIMIT:-00:30:00}
PARTITION=${PARTITION:-}                   # empty: the cluster's default
OUTPUT_DIR=${OUTPUT_DIR:-$PWD/results}     # on a file system every node sees
CLUSTER=${CLUSTER:-$(hostname -s)}         # names the CSV, to tell machines apart when merged
PARBENCH=${PARBENCH:-$PWD/build/portable/parbench}
# srun: every rank runs the plan (backends that span ranks only: mpi, mpi+threads, mpi+tbb).
# parbench: parbench runs the whole matrix on the first node and starts mpirun on the allocation's
# nodes for the MPI configurations.
LAUNCH=${LAUNCH:-srun}
BACKENDS=${BACKENDS:-mpi,mpi+threads}
BENCH_ARGS=${BENCH_ARGS:---kernel pi,primes --schedule static,dynamic --repeat 5}
SRUN_MPI=${SRUN_MPI:-pmix}                 # how srun starts MPI ranks (srun --mpi=list)
WAIT=${WAIT:-0}                            # 1: sbatch --wait, the exit code is the job's
set -euo pipefail

if [[ -z "${SLURM_JOB_ID:-}" ]]; then
  PARBENCH=$(realpath "$PARBENCH")
  mkdir -p "$OUTPUT_DIR"
  OUTPUT_DIR=$(realpath "$OUTPUT_DIR")
  [[ -x "$PARBENCH" ]] || { echo "slurm.sh: no parbench at $PARBENCH (set PARBENCH)" >&2; exit 2; }
  export NODES RANKS_PER_NODE THREADS_PER_RANK OUTPUT_DIR CLUSTER PARBENCH LAUNCH BACKENDS \
    BENCH_ARGS SRUN_MPI
  options=(--job-name=parbench --nodes="$NODES" --ntasks-per-node="$RANKS_PER_NODE"
    --cpus-per-task="$THREADS_PER_RANK" --time="$TIME_LIMIT" --export=ALL
    --output="$OUTPUT_DIR/$CLUSTER-%j.out" --error="$OUTPUT_DIR/$CLUSTER-%j.err")
  [[ -n "$PARTITION" ]] && options+=(--partition="$PARTITION")
  [[ "$WAIT" == 1 ]] && options+=(--wait)
  exec sbatch "${options[@]}" "$0"
fi

csv="$OUTPUT_DIR/$CLUSTER-$SLURM_JOB_ID.csv"
ranks=$((NODES * RANKS_PER_NODE))
echo "parbench job $SLURM_JOB_ID on $SLURM_JOB_NODELIST: $ranks ranks x $THREADS_PER_RANK threads"
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
case "$LAUNCH" in
  srun)
    srun --mpi="$SRUN_MPI" --kill-on-bad-exit=1 --cpus-per-task="$THREADS_PER_RANK" \
      "$PARBENCH" run $BENCH_ARGS --backend "$BACKENDS" --threads-per-rank "$THREADS_PER_RANK" \
      --csv "$csv"
    ;;
  parbench)
    "$PARBENCH" run $BENCH_ARGS --backend "$BACKENDS" --workers "$ranks" \
      --threads-per-rank "$THREADS_PER_RANK" --map-by "ppr:$RANKS_PER_NODE:node" --csv "$csv"
    ;;
  *) echo "slurm.sh: LAUNCH is srun or parbench, not '$LAUNCH'" >&2; exit 2 ;;
esac
echo "rows in $csv"
