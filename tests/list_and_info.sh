#!/usr/bin/env bash
# `list` names every backend with its availability; `info --json` is valid JSON with the fingerprint.
set -euo pipefail
parbench=$1
out=$("$parbench" list)
for b in serial threads processes tbb mpi; do
  grep -Eq "^  $b +(yes|no)" <<<"$out" || { echo "list does not show backend $b"; echo "$out"; exit 1; }
done
grep -q "^  pi " <<<"$out" || { echo "list does not show kernel pi"; exit 1; }
# Each backend with the schedules it really has; every stop flag and counter says whether it can
# run here.
grep -Eq "^  serial +yes.*\[static\]$" <<<"$out" || { echo "serial's schedules"; echo "$out"; exit 1; }
grep -Eq "^  threads +yes.*\[static, cyclic, dynamic, queue\]$" <<<"$out" ||
  { echo "threads' schedules"; echo "$out"; exit 1; }
flags=$(sed -n '/^stop flags/,$p' <<<"$out" | grep '^  ')
[[ -n $flags ]] || { echo "no ipc variants listed"; exit 1; }
grep -q '^shared counters' <<<"$out" || { echo "no shared counters listed"; exit 1; }
# A lock the kernel grants per process: forked workers (native or Python), never threads.
grep -Eq '^  file-fcntl +serial, processes(, python, python-pure)? \(needs' <<<"$out" ||
  { echo "file-fcntl should reach processes only"; exit 1; }
bad=$(grep -Ev '\[(yes|no)(: .*)?\]$' <<<"$flags" || true)
[[ -z $bad ]] || { echo "flags without yes/no: $bad"; exit 1; }
json=$("$parbench" info --json)
for key in host cpu_model logical_cpus caches compiler cxx_flags build_type tbb_version mpi_version parbench_version; do
  grep -q "\"$key\": " <<<"$json" || { echo "info --json lacks $key"; echo "$json"; exit 1; }
done
if command -v /usr/bin/python3 >/dev/null; then
  /usr/bin/python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json"
fi
echo ok
