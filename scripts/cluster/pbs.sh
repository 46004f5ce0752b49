#!/usr/bin/env bash
# parbench on a PBS Pro or Torque cluster. Run it on the login node: it submits itself with qsub,
# and inside the job it starts the ranks with mpirun --hostfile $PBS_NODEFILE. Change the knobs here
# or set them in the environment:
#   NODES=4 RANKS_PER_NODE=1 THREADS_PER_RANK=32 scripts/cluster/pbs.sh
# Writes $OUTPUT_DIR/<cluster>-<jobid>.csv, and the job's .out and .err beside it.
NODES=${NODES:-2}
RANKS_PER_NODE=${RANKS_PER_NODE:-1}
THREADS_PER_RANK=${THREADS_PER_RANK:-1}    # for mpi+threads and mpi+tbb
TIME_LIMIT=${TIME_LIMIT:-00:30:00}
QUEUE=${QUEUE:-}                           # empty: the cluster's default
OUTPUT_DIR=${OUTPUT_DIR:-$PWD/results}     # on a file system every node sees
CLUSTER=${CLUSTER:-$(hostname -s)}         # names the CSV, to tell machines apart when merged
PARBENCH=${PARBENCH:-$PWD/build/portable/parbench}
PBS_FLAVOUR=${PBS_FLAVOUR:-pro}            # pro (-l select=...) or torque (-l nodes=...:ppn=...)
BACKENDS=${BACKENDS:-mpi,mpi+threads}
BENCH_ARGS=${BENCH_ARGS:---kernel pi,primes --schedule static,dynamic --repeat 5}
set -euo pipefail

if [[ -z "${PBS_JOBID:-}" ]]; then
  [[ -x "$PARBENCH" ]] || { echo "pbs.sh: no parbench at $PARBENCH (set PARBENCH)" >&2; exit 2; }
  cpus=$((RANKS_PER_NODE * THREADS_PER_RANK))
  case "$PBS_FLAVOUR" in
    pro) resources="select=$NODES:ncpus=$cpus:mpiprocs=$RANKS_PER_NODE" ;;
    torque) resources="nodes=$NODES:ppn=$cpus" ;;
    *) echo "pbs.sh: PBS_FLAVOUR is pro or torque, not '$PBS_FLAVOUR'" >&2; exit 2 ;;
  esac
  command -v qsub >/dev/null || { echo "pbs.sh: no qsub here: run it on a PBS login node" >&2; exit 2; }
  mkdir -p "$OUTPUT_DIR"
  PARBENCH=$(realpath "$PARBENCH")
  OUTPUT_DIR=$(realpath "$OUTPUT_DIR")
  # The settings travel inside the job script, not through qsub -v, which splits values at commas
  # (BACKENDS and BENCH_ARGS have them): qsub reads the script from stdin and keeps a copy.
  # The job writes its own .out and .err, named after the job; PBS's own (-j oe) output file, in
  # the submit directory, only holds what failed before that.
  options=(-N parbench -S /bin/bash -j oe -l "$resources" -l "walltime=$TIME_LIMIT")
  [[ -n "$QUEUE" ]] && options+=(-q "$QUEUE")
  {
    echo "#!/bin/bash"
    for name in NODES RANKS_PER_NODE THREADS_PER_RANK OUTPUT_DIR CLUSTER PARBENCH BACKENDS \
      BENCH_ARGS; do
      printf '%s=%q\n' "$name" "${!name}"
    done
    tail -n +2 "$0"
  } | qsub "${options[@]}"
  exit
fi

cd "${PBS_O_WORKDIR:-$PWD}"
job=${PBS_JOBID%%.*}
csv="$OUTPUT_DIR/$CLUSTER-$job.csv"
mkdir -p "$OUTPUT_DIR"
exec >"$OUTPUT_DIR/$CLUSTER-$job.out" 2>"$OUTPUT_DIR/$CLUSTER-$job.err"
ranks=$((NODES * RANKS_PER_NODE))
echo "parbench job $job on $(sort -u "$PBS_NODEFILE" | paste -sd,): $ranks ranks x $THREADS_PER_RANK threads"
export OMP_NUM_THREADS=$THREADS_PER_RANK
# Every rank runs the plan; the nodefile lists a node once per slot, so ranks go per node explicitly.
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
mpirun --hostfile "$PBS_NODEFILE" -np "$ranks" --map-by "ppr:$RANKS_PER_NODE:node" \
  --bind-to none "$PARBENCH" run $BENCH_ARGS --backend "$BACKENDS" \
  --threads-per-rank "$THREADS_PER_RANK" --csv "$csv"
echo "rows in $csv"
