#!/usr/bin/env bash
# --csv and --json never destroy what they name: a symlink is followed, a FIFO is written through
# (and stays a FIFO), a directory is refused; the same file named twice (directly, through another
# relative path or a symlink), stdout twice, or an empty name are refused with exit 2 before
# anything runs or is written; a JSON file that cannot be created costs nothing; JSON can go to
# stdout.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
run=("$parbench" run --backend serial --samples 100000 --warmup 0 --repeat 1)
fail() { echo "FAIL: $*"; exit 1; }
# refused ARGS...: exit 2, one line on stderr naming the problem, nothing on stdout.
refused() {
  "${run[@]}" "$@" >out 2>err
  local rc=$?
  [[ $rc -eq 2 && $(wc -l <err) -eq 1 && ! -s out ]] ||
    fail "$* gave exit $rc, $(wc -l <err) lines on stderr: $(cat err out)"
}

# The same file twice, however it is named: the CSV that is there stays as it was.
"${run[@]}" --csv data.csv >/dev/null 2>&1 || fail "first run"
cp data.csv before.csv
mkdir sub
ln -s data.csv link.csv
refused --csv data.csv --json data.csv
refused --csv data.csv --json ./sub/../data.csv
refused --csv data.csv --json link.csv
refused --csv "$dir/new.csv" --json new.csv
refused --csv - --json -
refused --csv - --json /dev/stdout
refused --csv ""
refused --json ""
cmp -s data.csv before.csv || fail "the CSV changed"
[[ ! -e new.csv ]] || fail "new.csv was created"

# A directory is refused; so is a JSON file whose directory cannot take a new file (even as root),
# before the run: nothing is printed on stdout.
refused --json sub
refused --csv sub
refused --json /proc/parbench-nope.json
refused --json missing-dir/out.json

# A symlink is followed: its target is replaced by the JSON, the link stays a link.
ln -s target.json link.json
echo old >target.json
"${run[@]}" --json link.json >/dev/null 2>&1 || fail "run through a symlink"
[[ -L link.json ]] || fail "link.json is no longer a symlink"
python3 -c 'import json,sys; assert json.load(open("target.json"))["complete"] is True' ||
  fail "target.json is not the run's JSON"
ln -s dangling.json dangling-link.json
"${run[@]}" --json dangling-link.json >/dev/null 2>&1 || fail "run through a dangling symlink"
[[ -L dangling-link.json && -f dangling.json ]] || fail "a dangling symlink was replaced"

# A FIFO is written through and stays a FIFO, for JSON and for CSV.
mkfifo pipe
for option in --json --csv; do
  cat pipe >from-pipe &
  reader=$!
  "${run[@]}" "$option" pipe >/dev/null 2>&1 || fail "run writing $option to a FIFO"
  wait "$reader"
  [[ -p pipe ]] || fail "the FIFO was replaced by $option"
  [[ -s from-pipe ]] || fail "nothing came through the FIFO from $option"
done
head -1 from-pipe | grep -q '^schema_version,' || fail "the CSV through the FIFO has no header"

# JSON to stdout: the document alone there, the table on stderr.
"${run[@]}" --json - >stdout.json 2>stderr.txt || fail "--json -"
python3 -c 'import json; json.load(open("stdout.json"))' || fail "stdout is not one JSON document"
grep -q median_s stderr.txt || fail "the table is not on stderr"

# Interrupted before its first row: a CSV and JSON the run created are not left behind, empty.
set -m  # a background job of its own, with SIGINT not ignored
"$parbench" run --backend serial --samples 1e13 --warmup 0 --repeat 1 --csv early.csv \
  --json early.json >/dev/null 2>early.err &
pid=$!
set +m
for _ in $(seq 50); do [[ -e early.csv ]] && break; sleep 0.1; done
sleep 0.5
kill -INT "$pid"
wait "$pid"
rc=$?
[[ $rc -eq 130 ]] || fail "interrupted run exited with $rc"
[[ ! -e early.csv && ! -e early.json ]] || fail "an empty output was left: $(ls early.*)"
grep -q "interrupted before any configuration finished; nothing was written" early.err ||
  fail "no message after the interrupt: $(cat early.err)"

# No temporary file is left beside the outputs.
stray=$(ls -A | grep -F '.parbench-' || true)
[[ -z $stray ]] || fail "left behind: $stray"
echo ok
