#!/usr/bin/env bash
# parbench on a Slurm cluster. Run it on the login node: it submits itself with sbatch, and inside
# the job it runs the benchmark. Change the knobs here or set them in the environment:
#   NODES=4 RANKS_PER_NODE=1 THREADS_PER_RANK=32 scripts/cluster/slurm.sh
# or submit it yourself, sbatch's options choosing the nodes, ranks and threads (the #SBATCH lines
# below are the defaults), the job's output going where sbatch puts it:
#   sbatch -N 4 --ntasks-per-node=1 --cpus-per-task=32 scripts/cluster/slurm.sh
# Writes $OUTPUT_DIR/<cluster>-<jobid>.csv, and (submitted by itself) the job's .out and .err beside it.
#SBATCH --job-name=parbench
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
# In the job, relative paths and the defaults are the submit directory's and the login node's, not
# those of the node the job script runs on.
submit_dir=${SLURM_SUBMIT_DIR:-$PWD}
submit_host=${SLURM_SUBMIT_HOST:-$(hostname)}
NODES=${NODES:-2}
RANKS_PER_NODE=${RANKS_PER_NODE:-1}
THREADS_PER_RANK=${THREADS_PER_RANK:-1}    # for mpi+threads and mpi+tbb
TIME_LIMIT=${TIME_LIMIT:-00:30:00}
PARTITION=${PARTITION:-}                   # empty: the cluster's default
OUTPUT_DIR=${OUTPUT_DIR:-$submit_dir/results}  # on a file system every node sees
CLUSTER=${CLUSTER:-${submit_host%%.*}}     # names the CSV, to tell machines apart when merged
PARBENCH=${PARBENCH:-$submit_dir/build/portable/parbench}
# srun: every rank runs the plan (backends that span ranks only: mpi, mpi+threads, mpi+tbb), one
# configuration per job step, so that a rank lost costs that configuration alone.
# parbench: parbench runs the whole matrix on the first node and starts mpirun on the allocation's
# nodes for the MPI configurations.
LAUNCH=${LAUNCH:-srun}
BACKENDS=${BACKENDS:-mpi,mpi+threads}
BENCH_ARGS=${BENCH_ARGS:---kernel pi,primes --schedule static,dynamic --repeat 5}
SRUN_MPI=${SRUN_MPI:-pmix}                 # how srun starts MPI ranks (srun --mpi=list)
WAIT=${WAIT:-0}                            # 1: sbatch --wait, the exit code is the job's
set -euo pipefail

case "$LAUNCH" in
  srun | parbench) ;;
  *) echo "slurm.sh: LAUNCH is srun or parbench, not '$LAUNCH'" >&2; exit 2 ;;
esac
[[ $PARBENCH == /* ]] || PARBENCH=$submit_dir/$PARBENCH
[[ $OUTPUT_DIR == /* ]] || OUTPUT_DIR=$submit_dir/$OUTPUT_DIR
if [[ ! -x "$PARBENCH" ]]; then
  echo "slurm.sh: no parbench at $PARBENCH on $(hostname) (set PARBENCH)" >&2
  exit 2
fi

if [[ -z "${SLURM_JOB_ID:-}" ]]; then
  command -v sbatch >/dev/null || {
    echo "slurm.sh: no sbatch here: run it on a Slurm login node" >&2
    exit 2
  }
  mkdir -p "$OUTPUT_DIR"
  PARBENCH=$(realpath "$PARBENCH")
  OUTPUT_DIR=$(realpath "$OUTPUT_DIR")
  export NODES RANKS_PER_NODE THREADS_PER_RANK OUTPUT_DIR CLUSTER PARBENCH LAUNCH BACKENDS \
    BENCH_ARGS SRUN_MPI
  options=(--job-name=parbench --nodes="$NODES" --ntasks-per-node="$RANKS_PER_NODE"
    --cpus-per-task="$THREADS_PER_RANK" --time="$TIME_LIMIT" --export=ALL
    --output="$OUTPUT_DIR/$CLUSTER-%j.out" --error="$OUTPUT_DIR/$CLUSTER-%j.err")
  [[ -n "$PARTITION" ]] && options+=(--partition="$PARTITION")
  [[ "$WAIT" == 1 ]] && options+=(--wait)
  exec sbatch "${options[@]}" "$0"
fi

# The allocation is what runs, whatever the knobs said: sbatch's options may have changed it.
ranks=${SLURM_NTASKS:-$SLURM_JOB_NUM_NODES}
threads=${SLURM_CPUS_PER_TASK:-1}
per_node=${SLURM_NTASKS_PER_NODE:-$((ranks / SLURM_JOB_NUM_NODES))}
mkdir -p "$OUTPUT_DIR"
csv="$OUTPUT_DIR/$CLUSTER-$SLURM_JOB_ID.csv"
echo "parbench job $SLURM_JOB_ID on $SLURM_JOB_NODELIST: $ranks ranks x $threads threads"
if [[ $LAUNCH == parbench ]]; then
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  "$PARBENCH" run $BENCH_ARGS --backend "$BACKENDS" --workers "$ranks" \
    --threads-per-rank "$threads" --map-by "ppr:$per_node:node" --csv "$csv"
  echo "rows in $csv"
  exit 0
fi

launch() {  # launch ARGS...: a job step in which every rank runs the plan with ARGS
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  srun --mpi="$SRUN_MPI" --kill-on-bad-exit=1 --cpus-per-task="$threads" "$PARBENCH" run \
    $BENCH_ARGS --backend "$BACKENDS" --threads-per-rank "$threads" "$@" </dev/null
}
rows() { if [[ -f $csv ]]; then wc -l <"$csv"; else echo 0; fi; }
# One configuration per step: a rank that dies takes its step down (srun ends the others, and
# rank 0 cannot write a row for it), so only that configuration is lost, and this says which.
plan=$(launch --list-configurations) || exit  # bad input: parbench said why
count=$(grep -c . <<<"$plan")
lost=()
while IFS=$'\t' read -r -u 3 n what; do
  before=$(rows)
  launch --configuration "$n" --csv "$csv" && continue
  rc=$?
  lost+=("$n")
  if (($(rows) > before)); then
    echo "slurm.sh: configuration $n of $count ($what) failed: its rows in $csv say why" >&2
  else
    echo "slurm.sh: configuration $n of $count ($what) lost: its job step ended with exit code" \
      "$rc before rank 0 wrote a row (a rank died or was killed: see srun's lines above); the" \
      "next configuration runs" >&2
  fi
done 3<<<"$plan"
echo "rows in $csv"
if ((${#lost[@]} > 0)); then
  echo "slurm.sh: ${#lost[@]} of $count configurations failed or were lost: ${lost[*]}" >&2
  exit 1
fi
