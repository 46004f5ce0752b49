#!/usr/bin/env bash
# What parbench writes beside its outputs, in a directory others may write, and on a full disk:
# - a staging file is made exclusively under a name nobody can guess: a link planted by another
#   user at any name seen in the directory during the run is never followed (issue 20, item 4);
# - kill -9 leaves no empty CSV and no staging file that the next run with the same --json does not
#   remove (item 10);
# - an append that fails for want of space leaves the CSV as it was and says so (item 2).
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
mnt=
cleanup() {
  [[ -n $mnt ]] && umount "$mnt" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
cd "$dir" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
staging() { ls -A "$1" | grep -F '.parbench-' || true; }

# 4. Links planted at every staging name seen during a run of three configurations stay untouched,
# and so does what they point to.
echo "precious" >victim
chmod 600 victim
"$parbench" run --backend serial --samples 2e8,3e8,4e8 --warmup 0 --repeat 2 --json out.json \
  >/dev/null 2>run.err &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  for name in $(staging .); do
    case $name in *.next) continue ;; esac
    ln -s "$dir/victim" "$name.next" 2>/dev/null
    ln -s "$dir/victim" "${name%??????}AAAAAA" 2>/dev/null
  done
  sleep 0.01
done
wait "$pid" || fail "the run failed: $(cat run.err)"
[[ $(cat victim) == precious ]] || fail "a planted link was followed: victim now holds $(head -c 80 victim)"
/usr/bin/python3 -c 'import json; d = json.load(open("out.json")); assert d["complete"] and len(d["configurations"]) == 3' ||
  fail "out.json is not the run's whole document"
find . -maxdepth 1 -name '.out.json.parbench-*' -type l -delete

# 10. kill -9 before the first configuration finished: nothing is left, not even an empty CSV.
"$parbench" run --backend serial --samples 1e13 --warmup 0 --repeat 1 --csv a.csv --json a.json \
  >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 "$pid"
wait "$pid" 2>/dev/null
[[ ! -e a.csv && ! -e a.json && -z $(staging .) ]] || fail "kill -9 left: $(ls -A)"

# kill -9 after a configuration finished: its staged document stays (no process could move it),
# and the next run writing the same JSON removes it.
"$parbench" run --backend serial --samples 1e6,1e13 --warmup 0 --repeat 1 --csv a.csv \
  --json a.json >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [[ -n $(staging .) ]] && break; sleep 0.1; done
[[ -n $(staging .) ]] || fail "no staging file after the first configuration"
kill -9 "$pid"
wait "$pid" 2>/dev/null
"$parbench" run --backend serial --samples 1e6 --warmup 0 --repeat 1 --json a.json >/dev/null 2>&1 ||
  fail "the run after kill -9 failed"
[[ -z $(staging .) ]] || fail "the next run left the killed run's staging file: $(staging .)"

if [[ $(id -u) -ne 0 ]]; then
  echo "skipped the other-user and full-disk checks: they need root (chown, mount)"
  echo ok
  exit 0
fi

# 4. Another user's link, FIFO or file in a directory others can write (a sticky /tmp) is never
# followed, written through or appended to: refused with one line, nothing written, no hang.
shared=$dir/shared
mkdir -m 1777 "$shared"
other=65534  # nobody
echo "precious" >victim
ln -s "$dir/victim" "$shared/link.json"
ln -s "$dir/victim" "$shared/link.csv"
mkfifo "$shared/fifo.csv"
echo "not parbench's" >"$shared/theirs.csv"
chown -h "$other" "$shared/link.json" "$shared/link.csv" "$shared/fifo.csv" "$shared/theirs.csv"
for target in "--json $shared/link.json" "--csv $shared/link.csv" "--csv $shared/fifo.csv" \
  "--csv $shared/theirs.csv" "--json $shared/theirs.csv"; do
  # shellcheck disable=SC2086  # the option and its file, two words
  timeout 20 "$parbench" run --backend serial --samples 1e5 --warmup 0 --repeat 1 $target \
    >/dev/null 2>planted.err
  rc=$?
  [[ $rc -eq 2 && $(wc -l <planted.err) -eq 1 ]] ||
    fail "$target (another user's, in a shared directory): exit $rc, $(cat planted.err)"
done
[[ $(cat victim) == precious && $(cat "$shared/theirs.csv") == "not parbench's" ]] ||
  fail "something planted was written through"
# A link of one's own there is followed, as a shell's > would.
ln -s "$dir/mine.csv" "$shared/mine.csv"
"$parbench" run --backend serial --samples 1e5 --warmup 0 --repeat 1 --csv "$shared/mine.csv" \
  >/dev/null 2>&1 || fail "one's own link in a shared directory was refused"
[[ -s mine.csv ]] || fail "one's own link was not followed"

# 2. A full disk: the append fails, the CSV stays whole and as it was.
mnt=$dir/small
mkdir "$mnt"
mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null || {
  mnt=
  echo "skipped the full-disk check: cannot mount a tmpfs here"
  echo ok
  exit 0
}
"$parbench" run --backend serial --samples 1e5 --warmup 0 --repeat 1 --csv "$mnt/r.csv" \
  >/dev/null 2>&1 || fail "first run on the small tmpfs"
cp "$mnt/r.csv" before.csv
# Fill every free page: what is left is the slack of the CSV's last page, less than the rows take.
head -c 1M /dev/zero >"$mnt/filler" 2>/dev/null
"$parbench" run --backend serial --samples 1e5 --warmup 0 --repeat 20 --csv "$mnt/r.csv" \
  >/dev/null 2>full.err
rc=$?
[[ $rc -ne 0 ]] || fail "the run on a full disk exited 0"
grep -q "No space left on device; the file is as it was before" full.err ||
  fail "no clear message: $(cat full.err)"
cmp -s before.csv "$mnt/r.csv" || fail "the CSV changed on a full disk"
"$parbench" report summary "$mnt/r.csv" >/dev/null 2>&1 || fail "report refuses the CSV afterwards"
# A new file on a full disk is not left behind, empty.
"$parbench" run --backend serial --samples 1e5 --warmup 0 --repeat 20 --csv "$mnt/new.csv" \
  >/dev/null 2>&1
[[ ! -e $mnt/new.csv ]] || fail "a new CSV that could not take its rows was left behind"
echo ok
