#!/usr/bin/env bash
# cluster_jobs.sh PARBENCH CLUSTER_DIR CHECK: jobs on the private two-node Slurm cluster that
# scripts/cluster/local-slurm started in CLUSTER_DIR (the cluster.start test).
#  template: scripts/cluster/slurm.sh under sbatch --wait, across both nodes: pi, primes with the
#            dynamic schedule, verify with both MPI flags (mpi-rma is refused with one line per
#            configuration, each its own job step).
#  direct:   sbatch of slurm.sh itself, no knob set, from a submit directory holding the build, the
#            job running in /: its #SBATCH defaults (2 ranks, as it says), the CSV named after the
#            submit host, the default PARBENCH and OUTPUT_DIR those of the submit directory.
#  lost:     slurm.sh (srun) with three configurations, the rank on n2 of the second killed: the
#            first and third still give their rows, the log names the lost one, the job exits 1.
#  launch:   parbench itself under salloc -N 2 runs serial, threads and mpi; its mpirun puts the
#            ranks on n1 and n2, whose /tmp parbench cannot see: the rows still come back.
#  hybrid:   srun, one rank per node with 2 threads each (mpi+threads, mpi+tbb): exact counts.
#  kill:     a rank on n2 killed by SIGKILL: a failed row naming it, the allocation released,
#            nothing left on either node.
#  gone:     after cluster.stop: no daemon, job, process or directory of the cluster is left.
set -uo pipefail
parbench=$1
cluster=$2
check=$3
here=$(cd "$(dirname "$0")" && pwd)
source "$here/csv_checks.sh"
source "$here/process_checks.sh"

# Processes of this cluster: its daemons, and jobs' processes (they inherit SLURM_CONF).
cluster_processes() {
  local pid
  for pid in $(procs_mentioning "$cluster"); do
    echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
  done
}

# kill_rank_on_n2 PID PATTERN TRIES WITHIN: kill -9 the rank that n2's slurmd started among the
# processes whose command line holds PATTERN (looking TRIES x 0.1 s); PID must then exit with 1
# within WITHIN seconds.
kill_rank_on_n2() {
  local victim="" p
  for _ in $(seq "$3"); do
    for p in $(pgrep -f -- "$2" || true); do
      tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -q "^SLURMD_NODENAME=n2$" && victim=$p
    done
    [[ -n $victim ]] && break
    sleep 0.1
  done
  [[ -n $victim ]] || { kill "$1"; fail "no rank ($2) started on n2"; }
  sleep 1
  kill -9 "$victim"
  exits_within "$4" "$1" || { kill "$1"; fail "still running $4 s after a rank died"; }
  local rc=0
  wait "$1" || rc=$?
  [[ $rc -eq 1 ]] || fail "exit code $rc, expected 1"
}

# released: the allocation is given back and nothing of the job runs on (a cancelled step's
# slurmstepd may outlive the allocation by a moment on a busy machine).
released() {
  local left
  for _ in $(seq 100); do
    [[ -z $(squeue -h 2>/dev/null) ]] && break
    sleep 0.2
  done
  [[ -z $(squeue -h) ]] || fail "the allocation was not released: $(squeue)"
  for _ in $(seq 50); do
    left=$(cluster_processes | grep -v "slurmctld\|slurmd\|slurmscriptd\|munged" || true)
    [[ -z $left ]] && break
    sleep 0.2
  done
  [[ -z $left ]] || fail "left running: $left"
}

if [[ $check == gone ]]; then
  left=$(cluster_processes)
  [[ -z $left ]] || { echo "FAIL: left running: $left"; exit 1; }
  [[ ! -e $cluster ]] || { echo "FAIL: $cluster is still there"; exit 1; }
  left=$(ls -d /var/tmp/parbench-cluster-out.* 2>/dev/null || true)
  [[ -z $left ]] || { echo "FAIL: job output directories left: $left"; exit 1; }
  echo ok
  exit 0
fi
if [[ ! -f $cluster/slurm.conf ]]; then
  echo "SKIPPED: no local Slurm cluster in $cluster (see the cluster.start test for why)"
  exit 77
fi
export SLURM_CONF=$cluster/slurm.conf
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Shared by the two "nodes" (each has its own /tmp), as a cluster's home or scratch would be.
out=$(mktemp -d /var/tmp/parbench-cluster-out.XXXXXX)
trap 'rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; cat "$out"/*.out "$out"/*.err "$out"/log 2>/dev/null | tail -40; exit 1; }

# Every row valid, from both nodes, one rank on each.
check_rows() {  # check_rows CSV HOSTS
  [[ -s $1 ]] || fail "no rows in $1"
  python3 - "$1" "$2" <<'PY' || fail "bad rows in $1"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["backend"].startswith("mpi")]
assert rows, "no mpi rows"
for r in rows:
    where = (r["kernel"], r["backend"], r["ipc"], r["schedule"])
    assert r["valid"] == "true", (where, r["error"])
    assert r["nodes"] == "2", (where, r["nodes"])
    assert r["worker_hosts"] == sys.argv[2], (where, r["worker_hosts"])
    assert r["worker_cpus"], (where, "no CPUs recorded")
print(len(rows), "mpi rows valid, on", sys.argv[2])
PY
}

case $check in
  template)
    WAIT=1 OUTPUT_DIR=$out CLUSTER=local PARBENCH=$parbench BACKENDS=mpi \
      BENCH_ARGS="--kernel pi,primes,verify --samples 2e8 --range C --schedule static,dynamic \
        --chunk 20000 --ipc mpi-msg,mpi-rma --n 100109100129100369,100109100129100151 --repeat 2" \
      "$here/../scripts/cluster/slurm.sh" >"$out/log" 2>&1 || fail "the job failed"
    job=$(grep -o 'Submitted batch job [0-9]*' "$out/log" | grep -o '[0-9]*$')
    csv=$out/local-$job.csv
    check_rows "$csv" "n1*1;n2*1"
    for what in "pi static" "pi dynamic" "primes dynamic" "verify static"; do
      read -r kernel schedule <<<"$what"
      grep -q ",$kernel,mpi,[a-z-]*,$schedule," "$csv" || fail "no $kernel $schedule row"
    done
    grep -q ",verify,mpi,mpi-msg," "$csv" || fail "no mpi-msg row"
    ! grep -q ",mpi-rma," "$csv" || fail "mpi-rma ran across nodes over TCP"
    refusals=$(grep "parbench: refused: mpi-rma: .*one-sided window" "$out/local-$job.err" || true)
    [[ -n $refusals && $(sort -u <<<"$refusals" | wc -l) -eq 1 ]] ||
      fail "mpi-rma was not refused with one line"
    ! grep -qi "abort\|MPI_ERR" <(grep -v "refused" "$out/local-$job.err") || fail "MPI errors"
    echo "job $job: $(($(wc -l <"$csv") - 1)) rows; mpi-rma refused with one line"
    ;;
  direct)
    mkdir -p "$out/submit/build/portable"
    ln -s "$(realpath "$parbench")" "$out/submit/build/portable/parbench"
    (cd "$out/submit" && env -u CLUSTER -u PARBENCH -u OUTPUT_DIR -u NODES -u RANKS_PER_NODE \
      BACKENDS=mpi BENCH_ARGS="--kernel pi --samples 2e7 --warmup 0 --repeat 1" sbatch --wait \
      --chdir=/ --output="$out/direct.out" --error="$out/direct.err" \
      "$here/../scripts/cluster/slurm.sh") >"$out/log" 2>&1 || fail "the job failed"
    job=$(grep -o 'Submitted batch job [0-9]*' "$out/log" | grep -o '[0-9]*$')
    csv=$out/submit/results/$(hostname -s)-$job.csv
    check_rows "$csv" "n1*1;n2*1"
    grep -q "^parbench job $job on .*: 2 ranks x 1 threads$" "$out/direct.out" ||
      fail "the job does not say what runs: $(head -1 "$out/direct.out")"
    echo "ok: sbatch slurm.sh: 2 ranks on n1 and n2, $(basename "$csv") in the submit directory"
    ;;
  lost)
    WAIT=1 OUTPUT_DIR=$out CLUSTER=local PARBENCH=$parbench BACKENDS=mpi \
      BENCH_ARGS="--kernel pi --samples 2e7,1e13,3e7 --warmup 0 --repeat 1" \
      "$here/../scripts/cluster/slurm.sh" >"$out/log" 2>&1 &
    pid=$!
    # The rank of n2 in the second configuration's job step.
    kill_rank_on_n2 "$pid" "--configuration 2" 600 120
    job=$(grep -o 'Submitted batch job [0-9]*' "$out/log" | grep -o '[0-9]*$')
    csv=$out/local-$job.csv
    [[ $(csv_column "$csv" size | paste -sd,) == 20000000,30000000 ]] ||
      fail "not the rows of configurations 1 and 3: $(csv_column "$csv" size | paste -sd,)"
    [[ $(csv_column "$csv" valid | sort -u) == true ]] || fail "invalid rows"
    grep -q "slurm.sh: configuration 2 of 3 (pi (size 10000000000000, .*) lost" "$out/local-$job.err" ||
      fail "the log does not name the lost configuration"
    released
    echo "ok: $(grep "slurm.sh: configuration 2 of 3" "$out/local-$job.err")"
    ;;
  launch)
    salloc -N 2 -n 2 "$parbench" run --kernel pi,primes --samples 2e8 --range A \
      --backend serial,threads,mpi --workers 2 --bind-to none --warmup 0 --repeat 2 \
      --csv "$out/rows.csv" >"$out/log" 2>&1 || fail "the run failed"
    check_rows "$out/rows.csv" "n1*1;n2*1"
    [[ $(csv_column "$out/rows.csv" valid | sort -u) == true ]] || fail "invalid rows"
    [[ $(csv_column "$out/rows.csv" host | sort -u) == "$(hostname)" ]] ||
      fail "parbench did not run on this host"
    echo "ok: rows of ranks on n1 and n2 came back to $(hostname)"
    ;;
  hybrid)
    serial=$("$parbench" run --backend serial --samples 3e8 --seed 3 --warmup 0 --repeat 1 --csv - \
      2>/dev/null | python3 -c 'import csv,sys; print(next(csv.DictReader(sys.stdin))["result"])')
    srun -N 2 --ntasks-per-node=1 --cpus-per-task=2 --mpi=pmix "$parbench" run --kernel pi,primes \
      --samples 3e8 --seed 3 --range B --backend mpi+threads,mpi+tbb --threads-per-rank 2 \
      --schedule static,dynamic --chunk 50000 --warmup 0 --repeat 2 --csv "$out/rows.csv" \
      >"$out/log" 2>&1 || fail "the job failed"
    check_rows "$out/rows.csv" "n1*1;n2*1"
    python3 - "$out/rows.csv" "$serial" <<'PY' || fail "wrong shape or count"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    assert r["threads_per_rank"] == "2" and len(r["worker_items"].split(";")) == 4, r
    if r["kernel"] == "pi":
        assert r["result"] == sys.argv[2], (r["result"], sys.argv[2])
print(len(rows), "rows of 2 ranks x 2 threads; pi count", sys.argv[2], "as serial")
PY
    ;;
  kill)
    salloc -N 2 -n 2 "$parbench" run --backend mpi --workers 2 --samples 1e13 --warmup 0 \
      --repeat 1 --csv "$out/rows.csv" >"$out/log" 2>&1 &
    pid=$!
    kill_rank_on_n2 "$pid" "--records-out" 300 90
    row=$(grep ",mpi,none," "$out/rows.csv" || true)
    grep -q ",false," <<<"$row" || fail "no invalid mpi row: $row"
    grep -Eq "mpi rank [01].* on host n2 was killed by signal 9|an mpi rank failed" <<<"$row" ||
      fail "the row does not say which rank died where: $row"
    released
    echo "ok: $(python3 -c 'import csv,sys; print(next(csv.DictReader(open(sys.argv[1])))["error"])' "$out/rows.csv")"
    ;;
  *) echo "unknown check $check"; exit 2 ;;
esac
