#!/usr/bin/env bash
# The calibration is measured once per machine and boot and kept in a per-user cache: the second
# parbench takes it from there (and says so in the fingerprint), --recalibrate measures anew, a
# cache that is garbage or of another boot is measured over, and a run that records nothing (no
# CSV, no JSON) does not calibrate at all.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME=$dir/cache
fail() { echo "FAIL: $*"; exit 1; }
at() { "$parbench" info "$@" | awk '$1 == "calib_at" { $1 = ""; print }'; }

"$parbench" run --kernel pi --samples 1e5 --backend serial --warmup 0 --repeat 1 >/dev/null 2>&1 ||
  fail "a run without outputs"
[[ ! -e $XDG_CACHE_HOME/parbench/calibration ]] || fail "a run that records nothing calibrated"
first=$(at)
[[ -n $first && $first != *cached* && $first != *"not measured"* ]] || fail "first info: '$first'"
[[ $(stat -c %a "$XDG_CACHE_HOME/parbench") == 700 ]] || fail "the cache directory is not private"
[[ $(at) == "$first (cached)" ]] || fail "the second info did not take the cache: '$(at)'"
"$parbench" run --kernel pi --samples 1e5 --backend serial --warmup 0 --repeat 1 --json "$dir/r.json" \
  >/dev/null 2>&1 || fail "a run with JSON"
grep -q '"calib_at": ".*(cached)"' "$dir/r.json" || fail "the JSON does not say the figures were cached"
[[ $(at --recalibrate) != *cached* ]] || fail "--recalibrate took the cache"
# Another boot (the key's first part) or garbage: measured anew, never read as figures.
sed -i 's/^key=[^|]*|/key=another-boot|/' "$XDG_CACHE_HOME/parbench/calibration"
[[ $(at) != *cached* ]] || fail "a cache of another boot was taken"
head -c 300 /dev/urandom >"$XDG_CACHE_HOME/parbench/calibration"
[[ $(at) != *cached* ]] || fail "a garbage cache was taken"
[[ $(at) == *cached* ]] || fail "the cache was not written again"
echo ok
