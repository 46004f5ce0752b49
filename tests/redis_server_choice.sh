#!/usr/bin/env bash
# redis_server_choice.sh PARBENCH: the redis flag with the user's server (--redis unix:///...) gives
# the right answers and leaves no key on it; an unreachable server or a missing redis-server is one
# line on stderr and exit code 2 within 2 s; `--ipc all` skips redis with a warning instead.
set -uo pipefail
parbench=$1
dir=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -9 "$server_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$dir/log" 2>/dev/null; exit 1; }

# The user's own server, on a socket of its own.
redis-server --port 0 --unixsocket "$dir/user.sock" --save "" --appendonly no --dir "$dir" \
  --logfile "$dir/redis.log" &
server_pid=$!
for _ in $(seq 100); do
  [[ $(redis-cli -s "$dir/user.sock" ping 2>/dev/null) == PONG ]] && break
  sleep 0.05
done
"$parbench" run --kernel verify --n 100109100129101027,25 --ipc redis --redis "unix://$dir/user.sock" \
  --check-every auto --backend processes --workers 2 --warmup 0 --repeat 2 --csv "$dir/out.csv" \
  >"$dir/log" 2>&1 || fail "run with --redis failed"
grep -q ",171656941," "$dir/out.csv" || fail "wrong factor with the user's server"
[[ $(redis-cli -s "$dir/user.sock" dbsize) == 0 ]] || fail "keys left on the user's server"
kill "$server_pid"
wait "$server_pid" 2>/dev/null
server_pid=

# Unreachable or missing: a clear line and exit 2, fast, and nothing written.
expect_refusal() {
  local what=$1
  shift
  local t0=$SECONDS
  "$@" --csv "$dir/refused.csv" >"$dir/log" 2>"$dir/err"
  local rc=$?
  [[ $rc -eq 2 ]] || fail "$what: exit code $rc, expected 2"
  [[ $(wc -l <"$dir/err") -eq 1 ]] || fail "$what: not one line on stderr: $(cat "$dir/err")"
  grep -qi "redis" "$dir/err" || fail "$what: the error does not name Redis: $(cat "$dir/err")"
  ((SECONDS - t0 <= 2)) || fail "$what: took $((SECONDS - t0)) s"
  [[ ! -e $dir/refused.csv ]] || fail "$what: a CSV was written"
  echo "refused ($what): $(cat "$dir/err")"
}
expect_refusal "closed port" "$parbench" run --kernel verify --ipc redis --redis redis://127.0.0.1:1
expect_refusal "dead socket" "$parbench" run --kernel verify --ipc redis --redis "unix://$dir/user.sock"
expect_refusal "bad URL" "$parbench" run --kernel verify --ipc redis --redis http://example.org
PARBENCH_REDIS_SERVER=/nonexistent/redis-server \
  expect_refusal "no redis-server" "$parbench" run --kernel verify --ipc redis

# In a matrix (--ipc all) a Redis that cannot run is skipped with a warning.
PARBENCH_REDIS_SERVER=/nonexistent/redis-server "$parbench" run --kernel verify --n 25 --ipc all \
  --backend serial --warmup 0 --repeat 1 --csv "$dir/all.csv" >"$dir/log" 2>&1 ||
  fail "--ipc all failed without redis-server"
grep -q "skipping ipc redis" "$dir/log" || fail "no warning that redis was skipped"
grep -q ",mmap," "$dir/all.csv" || fail "--ipc all did not run the other variants"
grep -q ",redis," "$dir/all.csv" && fail "--ipc all ran redis without a server"
echo ok
