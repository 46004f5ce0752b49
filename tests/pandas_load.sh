#!/usr/bin/env bash
# The pandas recipe of results/README.md, run as written: CSVs of several schema versions and kernels
# (a fresh one with verify's measurements, the committed reference CSVs) load in one call, and the
# measurements spread into columns that continue the version-3 ones. Skipped (77) without pandas.
set -euo pipefail
parbench=$(realpath "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
/usr/bin/python3 -c 'import pandas' 2>/dev/null || { echo "skipped: /usr/bin/python3 has no pandas"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/results/reference"
cp "$root"/results/reference/*.csv "$dir/results/reference/"
"$parbench" run --kernel verify --n 100109100129100369 --ipc none,shm --backend serial,threads \
  --workers 2 --warmup 0 --repeat 1 --csv "$dir/results/new.csv" >/dev/null 2>&1
recipe=$(sed -n '/^```python$/,/^```$/p' "$root/results/README.md" | sed '1d;$d')
[[ -n $recipe ]] || { echo "no python recipe in results/README.md"; exit 1; }
cd "$dir"
/usr/bin/python3 - <<PY
$recipe
assert set(df["schema_version"]) >= {9}, set(df["schema_version"])
assert len(set(df["schema_version"])) >= 2, "only one schema version loaded"
new = df[(df.schema_version == 9) & (df.kernel == "verify") & (df.ipc == "shm")]
assert len(new) == 2 and new["checks"].notna().all() and new["check_ns"].gt(0).all(), new
assert df[(df.schema_version == 9) & (df.ipc == "none")]["checks"].isna().all()
# fill's measurements spread into columns of their own (the committed 1 GiB reference).
fill = df[df.kernel == "fill"]
assert fill.empty or (fill["gbs"].gt(0).all() and fill["census_ids"].notna().all()), fill
# Before version 5 every worker had one thread.
assert df[df.schema_version < 5]["threads_per_rank"].fillna(1).eq(1).all()
old = df[(df.schema_version < 4) & (df.kernel == "verify") & (df.ipc != "none")]
assert old.empty or old["checks"].notna().all()
print(f"ok: {len(df)} rows of schema versions {sorted(set(df.schema_version))}")
PY
