#!/usr/bin/env bash
# The Python side of the suite (scripts/compare and its library) under pytest, with Debian's
# pandas, scipy and pytest in /usr/bin/python3. Skipped (77) where they are missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
/usr/bin/python3 -c 'import pandas, scipy, pytest' 2>/dev/null ||
  { echo "skipped: /usr/bin/python3 lacks pandas, scipy or pytest"; exit 77; }
cd "$root"
export PYTHONDONTWRITEBYTECODE=1
exec /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/python
