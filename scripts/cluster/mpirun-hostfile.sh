#!/usr/bin/env bash
# parbench across machines without a scheduler: mpirun starts the ranks on the hosts of a hostfile
# (one line per host: "node1 slots=32"), over ssh. Change the knobs here or set them in the
# environment:
#   HOSTFILE=hosts NODES=2 RANKS_PER_NODE=1 THREADS_PER_RANK=32 scripts/cluster/mpirun-hostfile.sh
# Writes $OUTPUT_DIR/<cluster>-<timestamp>.csv, and the run's .out and .err beside it.
HOSTFILE=${HOSTFILE:-hosts}
NODES=${NODES:-2}
RANKS_PER_NODE=${RANKS_PER_NODE:-1}
THREADS_PER_RANK=${THREADS_PER_RANK:-1}    # for mpi+threads and mpi+tbb
TIME_LIMIT=${TIME_LIMIT:-30m}              # for timeout(1): the run is stopped after this
OUTPUT_DIR=${OUTPUT_DIR:-$PWD/results}     # where the CSV is written (on this host)
CLUSTER=${CLUSTER:-$(hostname -s)}         # names the CSV, to tell machines apart when merged
PARBENCH=${PARBENCH:-$PWD/build/portable/parbench}  # the same path on every host
BACKENDS=${BACKENDS:-mpi,mpi+threads}
BENCH_ARGS=${BENCH_ARGS:---kernel pi,primes --schedule static,dynamic --repeat 5}
set -euo pipefail

[[ -r "$HOSTFILE" ]] || { echo "mpirun-hostfile.sh: cannot read hostfile '$HOSTFILE'" >&2; exit 2; }
mkdir -p "$OUTPUT_DIR"
run="$OUTPUT_DIR/$CLUSTER-$(date -u +%Y%m%dT%H%M%SZ)"
ranks=$((NODES * RANKS_PER_NODE))
root=()
[[ $(id -u) -eq 0 ]] && root=(--allow-run-as-root)
echo "parbench on $NODES hosts of $HOSTFILE: $ranks ranks x $THREADS_PER_RANK threads" | tee "$run.out"
# Every rank runs the plan. Rank 0 writes the CSV to its stdout, which mpirun forwards here: the
# file lands on this host whichever host rank 0 runs on. Everything else comes on stderr, which is
# split as the other templates' files are: parbench's own lines ("parbench: ...": warnings,
# progress, errors) and mpirun's messages (framed in dashes, or starting with "mpirun" or "[") to
# .err, the plan and the table to .out.
# shellcheck disable=SC2086  # BENCH_ARGS is a list of options
timeout --signal=INT "$TIME_LIMIT" mpirun "${root[@]}" --hostfile "$HOSTFILE" -np "$ranks" \
  --map-by "ppr:$RANKS_PER_NODE:node" --bind-to none "$PARBENCH" run $BENCH_ARGS \
  --backend "$BACKENDS" --threads-per-rank "$THREADS_PER_RANK" --csv - 2>&1 >"$run.csv" |
  awk -v out="$run.out" -v err="$run.err" '
    /^--------------------/ { framed = !framed; print > err; next }
    framed || /^parbench: / || /^mpirun/ || /^\[/ { print > err; fflush(err); next }
    { print >> out; fflush(out) }
    END { printf "" > err }'
echo "rows in $run.csv"
