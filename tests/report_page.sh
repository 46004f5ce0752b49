#!/usr/bin/env bash
# scripts/report's page opened in headless Chromium (tests/python/browser_check.py): rows of every
# kernel from a fresh toy run on one host; then two hosts of two parbench versions with an invalid
# row, beside the committed reference pi rows (CSV schema 2). The screenshots are kept in ARTIFACTS.
#   report_page.sh PARBENCH ARTIFACTS
set -uo pipefail
parbench=$(realpath "$1")
artifacts=$2
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$dir/err"; exit 1; }
mkdir -p "$artifacts" || fail "cannot make $artifacts"
run() {
  "$parbench" run "$@" --repeat 2 --warmup 0 --csv "$dir/fresh.csv" >/dev/null 2>>"$dir/err"
}
run --kernel pi --samples 1e6 --backend serial,threads,processes --workers 1,2 || fail "pi"
run --kernel primes --algo trial --range 1e6:1.02e6 --backend serial,threads --workers 2 \
  --schedule dynamic --chunk 100,200,500,1000,2000 || fail "primes"
run --kernel verify --n 1000003 --ipc none,atomic,shm --backend serial,threads,processes \
  --workers 2 || fail "verify"
# shm: the negative control, whose lost updates the count table shows.
run --kernel count --increments 1000 --ipc atomic,shm-atomic,shm --backend threads,processes \
  --workers 2 || fail "count"
run --kernel fill --bytes 1M --ipc mmap,shm,copy --backend serial,processes --workers 2 \
  --first-touch populate || fail "fill"
/usr/bin/python3 "$root/tests/python/page_csvs.py" "$dir/fresh.csv" "$dir/a.csv" "$dir/b.csv" ||
  fail "page_csvs.py"
report() { "$root/scripts/report" --parbench "$parbench" "$@" 2>>"$dir/err"; }
every=fig-speedup,fig-sweep,fig-verify,fig-count,fig-fill
page=$(report "$dir/a.csv" --out "$dir/one") || fail "report of one host"
[[ $page == "$dir/one/index.html" ]] || fail "report printed '$page', not the page's path"
check() { /usr/bin/python3 "$root/tests/python/browser_check.py" "$@"; }
check "$page" "$artifacts/report-page-one-host.png" --hosts page-test-a --figures $every
status=$?
((status == 0)) || exit $status
reference=$root/results/reference/vm-epyc-2vcpu-pi-1e10.csv
page=$(report "$dir/a.csv" "$dir/b.csv" "$reference" --out "$dir/three") || fail "report of three"
check "$page" "$artifacts/report-page-three-hosts.png" --hosts page-test-a,page-test-b,vm \
  --figures $every --invalid || exit $?
grep -q "0.0.9 (0123456789ab-dirty)" "$page" || fail "the second parbench version is not named"
# Bad input: one line on stderr, exit 2, nothing written.
"$root/scripts/report" "$dir/a.csv" >/dev/null 2>"$dir/usage" && fail "no --out accepted"
[[ $? == 2 && $(wc -l <"$dir/usage") == 1 ]] || fail "usage error: $(cat "$dir/usage")"
echo "not a csv" >"$dir/bad.csv"
"$root/scripts/report" "$dir/bad.csv" --out "$dir/bad" >/dev/null 2>"$dir/usage" &&
  fail "a file without rows accepted"
[[ $? == 2 && ! -e $dir/bad/index.html ]] || fail "bad input: $(cat "$dir/usage")"
echo "ok: pages of one and three hosts checked in Chromium; screenshots in $artifacts"
