#!/usr/bin/env bash
# queue.sh PARBENCH CHECK: the redis-queue backend (harness/backends/redis_queue*.cpp).
#   exact      pi, primes (ranges A-E) and verify at 1 to 4 workers: every result exact
#   mechanisms the owner's Redis flag and counter, joined by the queue workers: verify stops
#              early through the flag, count and pi add to the counter, all exact
#   kill       kill -9 of a worker mid-run: the run finishes exact, redelivered > 0, and the lost
#              time is at most the heartbeat expiry plus the redone chunks
#   last       a worker killed while it holds its last chunk: the other one redoes it
#   late       a worker started later joins the queue and takes chunks
#   feeder     kill -9 of parbench itself: its workers leave within the heartbeat expiry and nothing
#              of the run is left on the server
#   redis      the server killed mid-run: a failed row within 2 s, no hang
#   external   --external-workers: two workers started separately, over TCP with a password
#   interrupt  Ctrl-C: exit 130, no key left on the user's server, no worker left
#   version    a worker refuses a queue fed by another parbench version
#   expiry     kill -9 of a feeder before any worker joined, and of a feeder and its workers at
#              once: every key left on the server expires
#   replace    a worker that parbench started, killed: another takes its place, and the
#              repetitions after it run on two workers again
#   lost       a user's worker killed, none started again: no row claims the two workers
#   writes     chunks shorter than 2 ms: a worker sends two acknowledgements per write, so the
#              server serves about one read per two chunks (INFO stats), not one per chunk
#   silent     a worker that never rings (as one killed between its last result and the ring) and
#              pushes a chunk's result twice, the second one wrong: the feeder finds the results by
#              the list's length, counts the chunk once, and the row is exact
#   options    --queue '', a line break in it, --queue and --external-workers without redis-queue:
#              one line and exit code 2
set -uo pipefail
parbench=$(realpath "$1")
check=$2
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -9 "$server_pid" 2>/dev/null
  pkill -9 -f "worker --queue test-$$" 2>/dev/null
  pkill -9 -f "$dir" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; cat "$dir/log" 2>/dev/null; exit 1; }
queue=test-$$
heartbeat_ms=500

# A server of the test's own, the user's server as parbench sees it: on a Unix socket, or with
# `tcp` on a free local port with a password.
start_server() {
  if [[ ${1:-} == tcp ]]; then
    port=$((20000 + RANDOM % 20000))
    redis-server --port "$port" --bind 127.0.0.1 --requirepass secret --save "" \
      --appendonly no --dir "$dir" --logfile "$dir/redis.log" &
    server_pid=$!
    url="redis://:secret@127.0.0.1:$port"
    cli=(redis-cli -p "$port" -a secret --no-auth-warning)
  else
    redis-server --port 0 --unixsocket "$dir/redis.sock" --save "" --appendonly no --dir "$dir" \
      --logfile "$dir/redis.log" &
    server_pid=$!
    url="unix://$dir/redis.sock"
    cli=(redis-cli -s "$dir/redis.sock")
  fi
  for _ in $(seq 100); do
    [[ $("${cli[@]}" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.05
  done
  fail "the test's redis-server did not start"
}
keys_left() { "${cli[@]}" --scan --pattern 'parbench:*' | wc -l; }

# The rows of a CSV, checked in Python: every one valid, and what the check asks beyond that.
rows() {  # rows CSV PYTHON-EXPRESSION-OVER-rows
  python3 - "$1" "$2" <<'PY'
import csv, sys
# redelivered and lost_s are measurements (CSV schema 9): read them as the columns they were.
rows = [{"redelivered": "", "lost_s": "", **r,
         **dict(m.split("=", 1) for m in r["measurements"].split(";") if m)}
        for r in csv.DictReader(open(sys.argv[1]))]
for r in rows:
    assert r["valid"] == "true", f'{r["backend"]} workers={r["workers"]} rep={r["rep"]}: {r["error"]}'
ok = eval(sys.argv[2])
assert ok, f"{sys.argv[2]} does not hold: " + str([(r["rep"], r["redelivered"], r["lost_s"],
    r["wall_s"], r["worker_items"]) for r in rows])
print(len(rows), "rows ok")
PY
}

# A run in the background with 2 workers of range C by trial division, chunks of $1: long enough
# to kill something in; its pid in $pid.
background_run() {
  local chunk=$1
  shift
  "$parbench" run --kernel primes --range C --backend redis-queue --schedule queue --chunk "$chunk" \
    --workers 2 --warmup 0 --heartbeat "$heartbeat_ms" --csv "$dir/out.csv" "$@" >"$dir/log" 2>&1 &
  pid=$!
}
# The worker processes of this test's runs (their TMPDIR is the test's: other tests run alongside).
workers_of() {
  local p
  for p in $(pgrep -f "parbench worker --queue ${1:-run-}"); do
    grep -qaF "$dir" "/proc/$p/environ" 2>/dev/null && echo "$p"
  done
  return 0
}
wait_for_workers() {  # until N workers run
  for _ in $(seq 200); do
    [[ $(workers_of "$@" | wc -l) -ge 2 ]] && return 0
    sleep 0.05
  done
  fail "no workers started"
}

case $check in
  exact)
    "$parbench" run --kernel pi,primes,verify --samples 3000000 --range A,B,C,D,E --algo mr \
      --n 1000000007,1000036000099 --ipc none --backend serial,redis-queue --schedule queue \
      --chunk 20000 --workers 1:4 --warmup 0 --repeat 1 --csv "$dir/out.csv" >"$dir/log" 2>&1 ||
      fail "the run failed"
    # 1 pi + 5 ranges + 2 numbers: a serial row and 4 queue rows each.
    rows "$dir/out.csv" 'len(rows) == 8 * 5 and {r["workers"] for r in rows if r["backend"] == "redis-queue"} == {"1", "2", "3", "4"} and all(r["redelivered"] == "0" for r in rows if r["backend"] == "redis-queue")' ||
      fail "wrong rows" ;;
  mechanisms)
    common=(--backend serial,redis-queue --schedule queue --workers 2 --warmup 0 --repeat 1
      --csv "$dir/out.csv")
    "$parbench" run --kernel verify,pi --n 100109100129101027 --check-every 100000 \
      --samples 3000000 --chunk 1000000 --ipc none,redis "${common[@]}" >"$dir/log" 2>&1 ||
      fail "the run failed"
    "$parbench" run --kernel count --increments 2000 --chunk 100 --ipc redis "${common[@]}" \
      >"$dir/log" 2>&1 ||
      fail "the count run failed"
    # verify: a factor found stops the other chunks, so the flag's rows test fewer candidates.
    rows "$dir/out.csv" 'all(r["result"] == "171656941" for r in rows if r["kernel"] == "verify") and min(sum(map(int, r["worker_items"].split(";"))) for r in rows if r["kernel"] == "verify" and r["ipc"] == "redis" and r["backend"] == "redis-queue") < 0.7 * min(sum(map(int, r["worker_items"].split(";"))) for r in rows if r["kernel"] == "verify" and r["ipc"] == "none" and r["backend"] == "redis-queue") and {(r["kernel"], r["ipc"]) for r in rows if r["backend"] == "redis-queue"} >= {("verify", "redis"), ("count", "redis"), ("pi", "redis")}' ||
      fail "wrong rows" ;;
  kill)
    background_run 2000 --repeat 10
    wait_for_workers
    sleep 1
    kill -9 "$(workers_of | head -1)"
    ends_with 120 "$pid" 0 || fail "the run did not finish after a worker died"
    # The lost time: the expiry and the checks' period, and the redone chunks at the pace of the
    # repetitions before (twice it, for a slow moment).
    rows "$dir/out.csv" "any(int(r['redelivered'] or 0) > 0 for r in rows) and all(float(r['lost_s']) <= $heartbeat_ms / 1000 + 0.1 + int(r['redelivered']) * 2 * float(rows[0]['wall_s']) * 2 / 500 for r in rows)" ||
      fail "no redelivery recorded, or too much time lost" ;;
  last)
    # Two chunks: each worker's first is its last. The one killed is seen holding it.
    start_server
    background_run 500000 --repeat 1 --redis "$url" --queue "$queue"
    holder=
    for _ in $(seq 1000); do
      holder=$("${cli[@]}" --scan --pattern "parbench:queue:$queue:in-flight:*" | head -1)
      [[ -n $holder ]] && break
      sleep 0.01
    done
    [[ -n $holder ]] || fail "no worker took a chunk"
    kill -9 "$(cut -d/ -f2 <<<"$holder")"  # in-flight:host/pid/tag
    ends_with 120 "$pid" 0 || fail "the run did not finish after a worker died holding its chunk"
    rows "$dir/out.csv" "rows[0]['redelivered'] == '1'" || fail "the held chunk was not redone" ;;
  late)
    start_server
    background_run 2000 --repeat 12 --redis "$url" --queue "$queue"
    wait_for_workers "$queue"
    sleep 1
    "$parbench" worker --redis "$url" --queue "$queue" >"$dir/late.log" 2>&1 &
    late=$!
    ends_with 120 "$pid" 0 || fail "the run failed with a late worker"
    ends_with 5 "$late" 0 || fail "the late worker did not leave with its feeder: $(cat "$dir/late.log")"
    rows "$dir/out.csv" "any(len(r['worker_items'].split(';')) == 3 and int(r['worker_items'].split(';')[2]) > 0 for r in rows)" ||
      fail "the late worker took no chunk"
    [[ $(keys_left) -eq 0 ]] || fail "keys left: $("${cli[@]}" --scan --pattern 'parbench:*')" ;;
  feeder)
    start_server
    background_run 2000 --repeat 100 --redis "$url" --queue "$queue"
    wait_for_workers "$queue"
    sleep 1
    kill -9 "$pid"
    t0=$SECONDS
    for _ in $(seq 100); do
      [[ -z $(workers_of "$queue") ]] && break
      sleep 0.05
    done
    [[ -z $(workers_of "$queue") ]] || fail "workers still run 5 s after their feeder died"
    echo "the workers left $((SECONDS - t0)) s after the feeder died"
    [[ $(keys_left) -eq 0 ]] || fail "keys left: $("${cli[@]}" --scan --pattern 'parbench:*')"
    [[ -z $(ls -A "$TMPDIR") ]] || fail "left on disk: $(ls -A "$TMPDIR")" ;;
  redis)
    background_run 2000 --repeat 100
    wait_for_workers
    sleep 1
    server=$(pgrep -f "redis-server.*$TMPDIR" | head -1)
    [[ -n $server ]] || fail "no private redis-server"
    kill -9 "$server"
    ends_with 2 "$pid" 1 || fail "no end within 2 s of the server's death"
    grep -q ",false," "$dir/out.csv" || fail "no failed row"
    grep -qi "redis" "$dir/out.csv" || fail "the failed row does not name Redis"
    sleep 0.5
    [[ -z $(workers_of) ]] || fail "workers left"
    [[ -z $(ls -A "$TMPDIR") ]] || fail "left behind: $(ls -A "$TMPDIR")" ;;
  external)
    start_server tcp
    "$parbench" run --kernel primes --range B --algo mr --backend redis-queue --schedule queue \
      --chunk 2000 --workers 2 --warmup 1 --repeat 3 --redis "$url" --external-workers \
      --csv "$dir/out.csv" >"$dir/log" 2>&1 &
    pid=$!
    # The queue's name, as parbench tells the user how to start the workers.
    queue=
    for _ in $(seq 200); do
      queue=$(sed -n 's/.*parbench worker --redis URL --queue \([^ ]*\)$/\1/p' "$dir/log")
      [[ -n $queue ]] && break
      sleep 0.05
    done
    [[ -n $queue ]] || fail "no word on how to start the workers"
    # As on two other hosts: nothing but the server, its password and the queue's name.
    for w in 1 2; do
      env -i PATH="$PATH" "$parbench" worker --redis "$url" --queue "$queue" >"$dir/w$w.log" 2>&1 &
      eval "w$w=$!"
    done
    ends_with 60 "$pid" 0 || fail "the run with external workers failed"
    grep -q "waits for 2 worker(s)" "$dir/log" || fail "the announcement does not say how many"
    ends_with 5 "$w1" 0 || fail "worker 1 did not leave: $(cat "$dir/w1.log")"
    ends_with 5 "$w2" 0 || fail "worker 2 did not leave: $(cat "$dir/w2.log")"
    rows "$dir/out.csv" "all(len(r['worker_items'].split(';')) == 2 and r['worker_hosts'] for r in rows)" ||
      fail "the rows do not show two workers"
    grep -q secret "$dir/out.csv" "$dir/log" && fail "the password was written out"
    [[ $(keys_left) -eq 0 ]] || fail "keys left"
    # The wrong password: one line, exit 1.
    "$parbench" worker --redis "redis://:wrong@127.0.0.1:$port" --queue "$queue" --wait 1 \
      >"$dir/log" 2>&1 && fail "a wrong password was accepted"
    grep -q "password" "$dir/log" || fail "the refusal does not mention the password" ;;
  interrupt)
    start_server
    set -m  # a process group of its own, where SIGINT is not ignored
    background_run 2000 --repeat 100 --redis "$url" --queue "$queue"
    set +m
    wait_for_workers "$queue"
    sleep 1
    kill -INT "$pid"
    ends_with 10 "$pid" 130 || fail "Ctrl-C"
    [[ -z $(workers_of "$queue") ]] || fail "workers left"
    [[ $(keys_left) -eq 0 ]] || fail "keys left: $("${cli[@]}" --scan --pattern 'parbench:*')" ;;
  version)
    start_server
    "${cli[@]}" set "parbench:queue:$queue:feeder" 1 px 10000 >/dev/null
    "${cli[@]}" hset "parbench:queue:$queue:description" version "0.0.1 (0000000)" kernel pi \
      args "" size 10 chunk 1 config 1 heartbeat_ms 1000 >/dev/null
    "$parbench" worker --redis "$url" --queue "$queue" --wait 1 >"$dir/log" 2>&1
    rc=$?
    [[ $rc -eq 2 ]] || fail "exit code $rc, expected 2"
    grep -q "fed by parbench 0.0.1" "$dir/log" || fail "the refusal does not say why" ;;
  expiry)
    start_server
    every_key_expires() {  # every_key_expires QUEUE
      local keys key
      keys=$("${cli[@]}" --scan --pattern "parbench:queue:$1:*")
      [[ -n $keys ]] || fail "no key left to look at"
      for key in $keys; do
        [[ $("${cli[@]}" pttl "$key") -gt 0 ]] || fail "$key has no expiry"
      done
      echo "$(wc -w <<<"$keys") key(s) of queue $1 left, each with an expiry"
    }
    "$parbench" run --kernel pi --samples 100000 --backend redis-queue --schedule queue \
      --workers 1 --warmup 0 --repeat 1 --redis "$url" --external-workers --queue "$queue" \
      --heartbeat "$heartbeat_ms" >"$dir/log" 2>&1 &
    pid=$!
    for _ in $(seq 200); do
      grep -q "waits for" "$dir/log" && break
      sleep 0.05
    done
    grep -q "waits for" "$dir/log" || fail "the feeder did not get to wait for its workers"
    kill -9 "$pid"
    wait "$pid" 2>/dev/null
    every_key_expires "$queue"
    background_run 2000 --repeat 100 --redis "$url" --queue "$queue-2"
    wait_for_workers "$queue-2"
    sleep 1
    kill -9 "$pid" $(workers_of "$queue-2")
    wait "$pid" 2>/dev/null
    every_key_expires "$queue-2" ;;
  writes)
    start_server
    # 4000 chunks of 100 numbers (tens of us each); the feeder's own reads are a few dozen.
    "$parbench" run --kernel primes --range 100000000:100400000 --backend redis-queue \
      --schedule queue --chunk 100 --workers 1 --warmup 0 --repeat 1 --redis "$url" \
      --csv "$dir/out.csv" >"$dir/log" 2>&1 || fail "the run failed"
    rows "$dir/out.csv" "len(rows) == 1 and rows[0]['valid'] == 'true'" || fail "no valid row"
    reads=$("${cli[@]}" info stats | tr -d '\r' | awk -F: '$1 == "total_reads_processed" {print $2}')
    [[ -n $reads ]] || fail "the server does not count its reads"
    ((reads < 3000)) || fail "the server served $reads reads for 4000 chunks"
    echo "$reads reads served for 4000 chunks" ;;
  replace)
    background_run 2000 --repeat 8
    wait_for_workers
    sleep 1
    kill -9 "$(workers_of | head -1)"
    ends_with 120 "$pid" 0 || fail "the run did not finish after a worker died"
    # The last repetitions: both workers took chunks (before: "0;N", the dead one still listed).
    rows "$dir/out.csv" "len(rows) == 8 and all(sum(int(x) > 0 for x in r['worker_items'].split(';')) >= 2 for r in rows[-2:])" ||
      fail "the repetitions after the death did not run on two workers"
    grep -q "another takes its place" "$dir/log" || fail "no word of a replacement" ;;
  lost)
    start_server
    "$parbench" run --kernel primes --range C --backend redis-queue --schedule queue --chunk 2000 \
      --workers 2 --warmup 0 --repeat 8 --redis "$url" --external-workers --queue "$queue" \
      --join-timeout 3 --heartbeat "$heartbeat_ms" --csv "$dir/out.csv" >"$dir/log" 2>&1 &
    pid=$!
    # --queue first: workers_of finds them by "parbench worker --queue NAME".
    "$parbench" worker --queue "$queue" --redis "$url" >/dev/null 2>&1 &
    w1=$!
    "$parbench" worker --queue "$queue" --redis "$url" >/dev/null 2>&1 &
    wait_for_workers "$queue"
    sleep 1
    kill -9 "$w1"
    ends_with 60 "$pid" 1 || fail "the run did not end with a failed row"
    # No row is valid that ran on one worker without a death in it (redelivered), and a row says
    # what became of the second worker.
    python3 - "$dir/out.csv" <<'PY' || fail "a row claims two workers that did not run"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    ran = sum(int(x) > 0 for x in r["worker_items"].split(";") if x)
    measured = dict(m.split("=", 1) for m in r["measurements"].split(";") if m)
    assert r["valid"] != "true" or ran >= 2 or int(measured.get("redelivered") or 0) > 0, r
assert any(r["valid"] != "true" and "of 2 workers" in r["error"] for r in rows), rows
print(len(rows), "rows ok:", [r["error"] for r in rows if r["error"]])
PY
    ;;
  silent)
    start_server
    "$parbench" run --kernel primes --range 1000:2000 --backend redis-queue --schedule queue \
      --chunk 100 --workers 1 --warmup 0 --repeat 1 --redis "$url" --external-workers \
      --queue "$queue" --join-timeout 20 --csv "$dir/out.csv" >"$dir/log" 2>&1 &
    pid=$!
    # The worker, by hand: the commands of append_acknowledgement (redis_queue.hpp), no ring.
    python3 - "$dir/redis.sock" "$queue" <<'PY' || fail "the hand-made worker failed"
import os, socket, sys, time
path, queue = sys.argv[1], sys.argv[2]
p = f"parbench:queue:{queue}:"
s = socket.socket(socket.AF_UNIX)
s.connect(path)
f = s.makefile("rb")
def reply():
    line = f.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind == b"$":
        return None if int(rest) < 0 else f.read(int(rest) + 2)[:-2].decode()
    if kind == b"*":
        return None if int(rest) < 0 else [reply() for _ in range(int(rest))]
    if kind == b"-":
        sys.exit(f"error reply: {rest.decode()}")
    return rest.decode()
def cmd(*words):
    s.sendall(f"*{len(words)}\r\n".encode() +
              b"".join(f"${len(w.encode())}\r\n{w}\r\n".encode() for w in map(str, words)))
    return reply()
deadline = time.time() + 20
while cmd("EXISTS", p + "description") != "1":
    assert time.time() < deadline, "no description"
    time.sleep(0.05)
d = cmd("HGETALL", p + "description")
d = dict(zip(d[::2], d[1::2]))
size, chunk = int(d["size"]), int(d["chunk"])
chunks = -(-size // chunk)
w = f"fake/{os.getpid()}/0000"
cmd("SET", p + "heartbeat:" + w, 1, "PX", 60000)
cmd("SADD", p + "workers", w)
taken = []
while len(taken) < chunks:
    m = cmd("LMOVE", p + "pending", p + "in-flight:" + w, "RIGHT", "LEFT")
    if m is None:
        assert time.time() < deadline, f"took {len(taken)} of {chunks} chunks"
        time.sleep(0.01)
    else:
        taken.append(m)
prime = lambda n: n > 1 and all(n % k for k in range(2, int(n**0.5) + 1))
lo = 1000
for i, m in enumerate(sorted(taken, key=lambda m: int(m.split(":")[2]))):
    config, rep, k = map(int, m.split(":"))
    begin, end = lo + k * chunk, min(lo + size, lo + (k + 1) * chunk)
    value = sum(map(prime, range(begin, end)))
    entries = [f"{k} {w} {value} {end - begin} 0.001 0.001"]
    if i == 0:  # and again, wrong: only the first counts
        entries.append(f"{k} {w} {value + 1000} {end - begin} 0.001 0.001")
    for e in entries:
        assert int(cmd("RPUSHX", f"{p}results:{config}:{rep}", e)) > 0, "no results list"
    cmd("LREM", p + "in-flight:" + w, 1, m)
PY
    ends_with 20 "$pid" 0 || fail "the feeder did not finish without a ring"
    rows "$dir/out.csv" "len(rows) == 1 and rows[0]['result'] == '135'" ||
      fail "the repeated result was counted" ;;
  options)
    refused() { "$(dirname "$0")/expect_usage_error.sh" "$parbench" run --kernel pi --samples 1000 \
      --warmup 0 --repeat 1 --csv "$dir/refused.csv" "$@" || fail "not refused: $*"; }
    refused --backend redis-queue --schedule queue --queue ""
    refused --backend redis-queue --schedule queue --queue $'q\nx'
    refused --backend threads --queue q
    refused --queue q
    refused --backend threads --external-workers --redis redis://127.0.0.1:1 ;;
  *)
    echo "unknown check $check"
    exit 2 ;;
esac
echo "$check: ok"
