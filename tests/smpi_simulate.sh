#!/usr/bin/env bash
# The simulated cluster (label smpi): builds the smpi preset, runs pi and primes at 64 simulated
# ranks of scripts/cluster/platforms/local-slurm.xml through scripts/cluster/simulate, checks every
# row valid with exactly the result of the real build's serial run and marked as simulated, and
# checks that parbench_mpi_costs simulated between two nodes gives back the round trip the XML
# describes; the two simulations append to one CSV at once, which must hold one header. Skipped
# (77) without SimGrid.
#   smpi_simulate.sh PARBENCH SOURCE_DIR
set -euo pipefail
parbench=$1
source_dir=$2
platform=$source_dir/scripts/cluster/platforms/local-slurm.xml

if ! command -v smpirun >/dev/null || ! command -v smpicxx >/dev/null; then
  echo "SKIPPED: SimGrid's smpirun/smpicxx are not installed (scripts/install-deps installs libsimgrid-dev)"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The simulated build, where a user makes it (ccache keeps a second build cheap).
(cd "$source_dir" && cmake --preset smpi >"$tmp/configure.log" 2>&1 &&
  cmake --build --preset smpi >"$tmp/build.log" 2>&1) || {
  tail -n 30 "$tmp/configure.log" "$tmp/build.log" 2>/dev/null
  echo "FAIL: the smpi preset does not build"
  exit 1
}

fail() { echo "FAIL: $*"; exit 1; }

# Exact results: the real build's serial run against 64 simulated ranks, every schedule.
pi=(--kernel pi --samples 2e7)
primes=(--kernel primes --algo trial --range 1e8:1.0002e8)
"$parbench" run "${pi[@]}" --backend serial --repeat 1 --warmup 0 --csv "$tmp/serial.csv" >/dev/null
"$parbench" run "${primes[@]}" --backend serial --repeat 1 --warmup 0 --csv "$tmp/serial.csv" >/dev/null
# Both simulations at once, appending to one new CSV (as saturation-check's platforms may): the
# file gets one header, made with the first rows under parbench's lock.
pids=()
for plan in pi primes; do
  declare -n options=$plan
  "$source_dir/scripts/cluster/simulate" --platform "$platform" --ranks 64 -- "${options[@]}" \
    --backend mpi --schedule static,cyclic,dynamic --chunk 1000 --repeat 1 --warmup 0 \
    --csv "$tmp/sim.csv" >"$tmp/$plan.out" 2>"$tmp/$plan.err" &
  pids+=($!)
done
for i in 0 1; do
  plan=$([[ $i -eq 0 ]] && echo pi || echo primes)
  wait "${pids[i]}" || { cat "$tmp/$plan.err"; fail "simulate $plan at 64 ranks failed"; }
done
headers=$(grep -c '^schema_version,' "$tmp/sim.csv" || true)
[[ $headers -eq 1 ]] || fail "sim.csv has $headers header lines, not 1"

/usr/bin/python3 - "$tmp/serial.csv" "$tmp/sim.csv" <<'EOF' || fail "simulated rows"
import csv, sys
serial = {r["kernel"]: r["result"] for r in csv.DictReader(open(sys.argv[1])) if r["kernel"] != "kernel"}
rows = [r for r in csv.DictReader(open(sys.argv[2])) if r["kernel"] != "kernel"]
assert len(rows) == 6, f"expected 6 rows (2 kernels x 3 schedules), got {len(rows)}"
for r in rows:
    what = f'{r["kernel"]} {r["schedule"]}'
    assert r["valid"] == "true", f"{what}: invalid: {r['error']}"
    assert r["workers"] == "64", f"{what}: workers {r['workers']}"
    assert r["result"] == serial[r["kernel"]], f"{what}: result {r['result']} != serial {serial[r['kernel']]}"
    assert r["host"] == "smpi:local-slurm", f"{what}: host {r['host']}"
    assert r["mpi_version"].startswith("simulated: SimGrid"), f"{what}: mpi_version {r['mpi_version']}"
    assert r["worker_hosts"].startswith("n1*1;n2*1;"), f"{what}: worker_hosts {r['worker_hosts']}"
print("simulated rows: 6 valid, results equal to serial, marked smpi:local-slurm")
EOF

# The round trip the XML describes: 2 x (os + 2 links' latency + or) between two nodes.
printf 'n1\nn2\n' >"$tmp/hosts"
TMPDIR="$tmp" smpirun -platform "$platform" -hostfile "$tmp/hosts" -np 2 \
  "$source_dir/build/smpi/parbench_mpi_costs" --log=root.thres:warning >"$tmp/costs.txt" ||
  fail "parbench_mpi_costs under smpirun"
/usr/bin/python3 - "$platform" "$tmp/costs.txt" <<'EOF' || fail "simulated round trip"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
prop = {p.get("id"): p.get("value") for p in root.iter("prop")}
overhead = lambda v: float(v.split(":")[1])
lat = float(root.find("cluster").get("lat").removesuffix("us")) * 1e-6
expected = 2 * (overhead(prop["smpi/os"]) + 2 * lat + overhead(prop["smpi/or"])) * 1e6
got = {k: float(v) for k, v in (l.split() for l in open(sys.argv[2]) if l.endswith("_us\n") or "_us " in l)}
rt = got["round_trip_us"]
assert abs(rt - expected) <= 0.05 * expected, f"round trip {rt} us, the XML says {expected:.2f} us"
print(f"simulated round trip {rt} us, the XML's {expected:.2f} us (within 5%)")
EOF
echo "smpi: ok"
