#!/usr/bin/env bash
# --json writes one complete JSON document; --csv - puts CSV (header first) on stdout and the human
# table on stderr.
set -euo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$parbench" run --backend serial,threads --workers 2 --samples 100000 --warmup 0 --repeat 3 \
  --json "$dir/run.json" --csv - >"$dir/stdout" 2>"$dir/stderr"
python3 - "$dir/run.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema_version"] == 9, doc["schema_version"]
assert doc["complete"] is True, doc["complete"]
assert "cpu_model" in doc["machine"], doc["machine"]
configs = doc["configurations"]
assert [c["backend"] for c in configs] == ["serial", "threads"], configs
for c in configs:
    assert c["valid"] and len(c["repetitions"]) == 3 and c["wall_s"]["median"] > 0, c
assert configs[1]["speedup"] is not None
PY
head -1 "$dir/stdout" | grep -q '^schema_version,' || { echo "stdout does not start with the CSV header"; exit 1; }
[[ $(grep -c . "$dir/stdout") -eq 7 ]] || { echo "expected header + 6 rows on stdout"; cat "$dir/stdout"; exit 1; }
grep -q "median_s" "$dir/stderr" || { echo "the table is not on stderr"; exit 1; }
ls "$dir" | grep -q tmp && { echo "a temporary JSON file was left"; exit 1; }
echo ok
