#!/usr/bin/env bash
# cluster_templates.sh PARBENCH: the templates on this one host, without a scheduler.
#  - bad input: no parbench at PARBENCH (slurm.sh, pbs.sh), no qsub (pbs.sh): one line, exit 2.
#  - pbs.sh's job part (as PBS would run it: PBS_JOBID and a PBS_NODEFILE set), and the whole of
#    pbs.sh through a stand-in qsub that treats -v as PBS does (split at commas) and runs the job
#    script it was given with only what qsub passes on: the comma lists of BACKENDS and BENCH_ARGS
#    arrive whole, and the .out is the job's own.
#  - the plain mpirun runner: its CSV where it says, the plan and table in .out, warnings in .err.
# (The Slurm template is tested on a real scheduler by cluster.template and cluster.direct.)
set -euo pipefail
parbench=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/csv_checks.sh"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
fail() { echo "FAIL: $*"; cat "$dir"/*.out "$dir"/*.err "$dir/log" 2>/dev/null | tail -30; exit 1; }
args="--kernel pi --warmup 0 --repeat 2"

check_rows() {  # check_rows CSV: rows of mpi at 2 ranks, all valid
  [[ -s $1 ]] || fail "no CSV at $1"
  [[ $(csv_column "$1" valid | sort -u) == true ]] || fail "invalid rows in $1"
  [[ $(csv_column "$1" workers | sort -u) == 2 ]] || fail "not 2 ranks in $1"
  echo "ok: $(($(wc -l <"$1") - 1)) valid rows in $(basename "$1")"
}

refused() {  # refused SCRIPT [VAR=VALUE...]: exit 2 with one line on stderr
  local script=$1 rc=0
  shift
  env "$@" "$root/scripts/cluster/$script" >"$dir/log" 2>"$dir/err" || rc=$?
  [[ $rc -eq 2 && $(wc -l <"$dir/err") -eq 1 ]] ||
    fail "$script $*: exit $rc, expected 2 and one line: $(cat "$dir/err")"
  echo "ok: $script refused: $(cat "$dir/err")"
}
refused slurm.sh PARBENCH=/nonexistent/build/parbench OUTPUT_DIR="$dir/none"
refused pbs.sh PARBENCH=/nonexistent/build/parbench OUTPUT_DIR="$dir/none"
if command -v qsub >/dev/null; then
  echo "skipped: the no-qsub check (qsub is installed here)"
else
  refused pbs.sh PARBENCH="$parbench" OUTPUT_DIR="$dir/none"
fi
[[ ! -e $dir/none ]] || fail "an output directory was made for bad input"

printf 'localhost\nlocalhost\n' >"$dir/nodefile"
PBS_JOBID=4242.pbs-server PBS_NODEFILE=$dir/nodefile PBS_O_WORKDIR=$dir NODES=1 RANKS_PER_NODE=2 \
  OUTPUT_DIR=$dir CLUSTER=pbs PARBENCH=$parbench BACKENDS=mpi BENCH_ARGS="$args --samples 1e7" \
  "$root/scripts/cluster/pbs.sh" >"$dir/log" 2>&1 || fail "pbs.sh failed"
check_rows "$dir/pbs-4242.csv"
grep -q "^parbench job 4242 " "$dir/pbs-4242.out" || fail "no pbs-4242.out of the job's own"

# The stand-in qsub: -v split at commas as PBS does, the script from its operand or stdin, run at
# once with what a PBS job gets (PBS_* and the -v variables; the root allowance a site would have).
mkdir "$dir/bin"
cat >"$dir/bin/qsub" <<'QSUB'
#!/usr/bin/env bash
vars=()
while getopts "N:S:j:l:o:e:q:v:" opt; do
  [[ $opt == v ]] && IFS=, read -ra vars <<<"$OPTARG"
done
shift $((OPTIND - 1))
script=$(mktemp "$QSUB_DIR/job.XXXXXX")
cat "${1:-/dev/stdin}" >"$script"
env -i PATH="$PATH" HOME="$HOME" OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
  PBS_JOBID=4343.fake PBS_NODEFILE="$QSUB_DIR/nodefile" PBS_O_WORKDIR="$PWD" "${vars[@]}" \
  bash "$script" >"$QSUB_DIR/pbs-own.log" 2>&1
echo 4343.fake
QSUB
chmod +x "$dir/bin/qsub"
PATH=$dir/bin:$PATH QSUB_DIR=$dir NODES=1 RANKS_PER_NODE=2 OUTPUT_DIR=$dir CLUSTER=sub \
  PARBENCH=$parbench BACKENDS=mpi,mpi+threads BENCH_ARGS="$args --samples 1e7,2e7" \
  "$root/scripts/cluster/pbs.sh" >"$dir/log" 2>&1 || fail "pbs.sh failed to submit"
check_rows "$dir/sub-4343.csv"
[[ $(csv_column "$dir/sub-4343.csv" backend | sort -u | paste -sd,) == mpi,mpi+threads ]] ||
  fail "BACKENDS lost its comma list: $(csv_column "$dir/sub-4343.csv" backend | sort -u)"
[[ $(csv_column "$dir/sub-4343.csv" size | sort -u | wc -l) -eq 2 ]] ||
  fail "BENCH_ARGS lost its comma list"
grep -q "^parbench job 4343 " "$dir/sub-4343.out" || fail "no sub-4343.out of the job's own"
echo "ok: pbs.sh through qsub: comma lists whole, sub-4343.out"

echo "localhost slots=2" >"$dir/hosts"
HOSTFILE=$dir/hosts NODES=1 RANKS_PER_NODE=2 OUTPUT_DIR=$dir/out CLUSTER=plain PARBENCH=$parbench \
  BACKENDS=mpi,mpi+threads BENCH_ARGS="$args --samples 1e7" TIME_LIMIT=5m \
  "$root/scripts/cluster/mpirun-hostfile.sh" >"$dir/log" 2>&1 || fail "mpirun-hostfile.sh failed"
run=$(ls "$dir"/out/plain-*.csv)
run=${run%.csv}
check_rows "$run.csv"
[[ $(csv_column "$run.csv" backend | sort -u | paste -sd,) == mpi,mpi+threads ]] ||
  fail "not both backends"
grep -q "^parbench run" "$run.out" || fail "the plan is not in $run.out"
! grep -q "^parbench run" "$run.err" || fail "the plan is in $run.err"
echo "ok: mpirun-hostfile.sh: the plan in $(basename "$run").out"
