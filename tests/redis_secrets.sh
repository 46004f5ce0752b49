#!/usr/bin/env bash
# redis_secrets.sh PARBENCH: a Redis password never reaches a message, a file or a command line.
#   urls  every malformed URL (and an unreachable one), given with --redis or $PARBENCH_REDIS_URL
#         to every command that takes one (run with each user of a server, worker): malformed
#         ones are one line and exit code 2, and no output, CSV included, holds the password; nor
#         does the refusal of --redis by sweep, which takes none
#   ps    run and worker take the URL from $PARBENCH_REDIS_URL alone (a server with a password,
#         over TCP): processes workers, the redis flag, a redis-queue feeder and its workers, MPI
#         ranks; and no command line of any of them, nor a queue's description, holds the password
#   ipv6  a password %-encoded (holding '@', ':' and '/') to a server on [::1]
set -uo pipefail
parbench=$(realpath "$1")
check=$2
source "$(dirname "$0")/process_checks.sh"
dir=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill -9 "$server_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
export TMPDIR=$dir/tmp
mkdir -p "$TMPDIR"
fail() { echo "FAIL: $*"; exit 1; }
# Its own per run: the ps check samples every command line on the host, and the urls check, which
# may run beside it under ctest -j, puts its malformed URLs on command lines on purpose.
secret=Hunter2-$check-$$-s3cr3t
# grep reads the password from a file: on its command line `ps` would show it.
printf '%s\n' "$secret" >"$dir/pattern"
leaks() { grep -lF -f "$dir/pattern" "$@" 2>/dev/null; }

# A server of the test's own on a free local port, the password in its config file (not in `ps`).
start_server() {  # start_server BIND PASSWORD
  port=$((20000 + RANDOM % 20000))
  printf 'port %s\nbind %s\nrequirepass "%s"\nsave ""\nappendonly no\ndir %s\nlogfile %s\n' \
    "$port" "$1" "$2" "$dir" "$dir/redis.log" >"$dir/redis.conf"
  redis-server "$dir/redis.conf" &
  server_pid=$!
  export REDISCLI_AUTH=$2
  cli=(redis-cli -h "$1" -p "$port" --no-auth-warning)
  for _ in $(seq 100); do
    [[ $("${cli[@]}" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.05
  done
  fail "the test's redis-server did not start"
}

case $check in
  urls)
    malformed=(
      "redis://:$secret@:6379" "redis://:$secret@127.0.0.1:" "redis://:$secret@127.0.0.1:abc"
      "redis://:$secret@127.0.0.1:99999" "rediss://:$secret@127.0.0.1:6379"
      "redis://:$secret@127.0.0.1:6379?x=1" "redis://:$secret@127.0.0.1:6379#f"
      "redis://:$secret@127.0.0.1:6379/x" "redis://:$secret@127.0.0.1/0/1" "redis://:$secret@[::1"
      "redis://:$secret@[::1]x" "redis://:$secret@::1:6379" "redis://:$secret"
      "redis://$secret@127.0.0.1" "redis://:$secret%zz@127.0.0.1" "redis://:$secret%00@h"
      "http://:$secret@127.0.0.1" "unix://:$secret@tmp/sock" " redis://:$secret@h"
      "redis://:$secret@h"$'\n' "redis://:$secret@h:0" "redis://:$secret@"
      "redis://user:$secret@h:65536" "redis://:pass@h?password=$secret")
    unreachable=("redis://:$secret@127.0.0.1:1/0" "redis://:$secret@127.0.0.1:1")
    commands=(
      "run --kernel verify --n 25 --ipc redis --backend serial --warmup 0 --repeat 1"
      "run --kernel pi --samples 1000 --backend redis-queue --schedule queue --warmup 0 --repeat 1"
      "run --kernel pi --samples 1000 --backend redis-queue --schedule queue --external-workers --join-timeout 1"
      "worker --queue q --wait 1")
    n=0
    for url in "${malformed[@]}" "${unreachable[@]}"; do
      for command in "${commands[@]}"; do
        read -ra words <<<"$command"
        [[ ${words[0]} == worker ]] && csv=() || csv=(--csv "$dir/out.csv")
        for how in option variable; do
          rm -f "$dir/out.csv"
          if [[ $how == option ]]; then
            "$parbench" "${words[@]}" --redis "$url" "${csv[@]}" >"$dir/out" 2>"$dir/err"
          else
            PARBENCH_REDIS_URL=$url "$parbench" "${words[@]}" "${csv[@]}" >"$dir/out" 2>"$dir/err"
          fi
          rc=$?
          what="$command, URL #$n by $how"
          [[ -z $(leaks "$dir/out" "$dir/err" "$dir/out.csv") ]] ||
            fail "$what: the password was written out: $(cat "$dir/err")"
          if ((n < ${#malformed[@]})); then
            [[ $rc -eq 2 && $(wc -l <"$dir/err") -eq 1 && ! -e $dir/out.csv ]] ||
              fail "$what: exit code $rc (not 2), or not one line on stderr, or a CSV: $(cat "$dir/err")"
          fi
        done
      done
      n=$((n + 1))
    done
    # sweep takes no --redis: the parser's refusal quotes the argument, password hidden.
    "$parbench" sweep --workers 1 --redis "${malformed[0]}" >"$dir/out" 2>"$dir/err"
    [[ $? -eq 2 && -z $(leaks "$dir/out" "$dir/err") ]] || fail "sweep --redis: $(cat "$dir/err")"
    echo "$n URLs, ${#commands[@]} commands, by option and by variable: no password written" ;;
  ps)
    start_server 127.0.0.1 "$secret"
    export PARBENCH_REDIS_URL="redis://:$secret@127.0.0.1:$port"
    # No private server to fall back on: the run must use the variable's.
    export PARBENCH_REDIS_SERVER=/nonexistent/redis-server
    watch_ps() {  # every parbench and redis command line on the host, sampled until $1 exits
      local key
      while kill -0 "$1" 2>/dev/null; do
        # One ps per sample, not a process per /proc entry: on a loaded machine that loop took
        # seconds a sample and could miss a short-lived mpirun altogether.
        ps -ww -eo args= | grep -E 'parbench|redis' >>"$dir/cmdlines" || true
        for key in $("${cli[@]}" --scan --pattern 'parbench:queue:*:description'); do
          "${cli[@]}" hgetall "$key" >>"$dir/descriptions"
        done
        sleep 0.02
      done
    }
    watched() {  # watched WHAT RUN-ARGS...: `parbench run` sampled by watch_ps, which must succeed
      "$parbench" run "${@:2}" >"$dir/log" 2>&1 &
      local run=$!
      watch_ps "$run"
      ends_with 60 "$run" 0 || fail "$1 with \$PARBENCH_REDIS_URL: $(cat "$dir/log")"
    }
    watched "the redis flag" --kernel verify --n 100109100129101027 --ipc redis --check-every auto \
      --backend processes --workers 2 --warmup 0 --repeat 3 --csv "$dir/flag.csv"
    grep -q ",171656941," "$dir/flag.csv" || fail "wrong factor"
    watched "redis-queue" --kernel primes --range B --algo mr --backend redis-queue --schedule queue \
      --chunk 2000 --workers 2 --warmup 0 --repeat 3 --csv "$dir/queue.csv"
    # Queue workers joining the owner's flag: the queue's description names no server.
    watched "a flag joined by queue workers" --kernel verify --n 100109100129101027 --ipc redis \
      --check-every 100000 --backend redis-queue --schedule queue --chunk 1000000 --workers 2 \
      --warmup 0 --repeat 6 --csv "$dir/joined.csv"
    grep -q ",171656941," "$dir/joined.csv" || fail "wrong factor through the queue"
    grep -q "join-key" "$dir/descriptions" || fail "no description with a mechanism sampled"
    [[ -z $(leaks "$dir/descriptions") ]] || fail "a queue's description holds the password"
    # The feeder of users' workers, and a worker: both from the variable alone.
    "$parbench" run --kernel primes --range B --algo mr --backend redis-queue --schedule queue \
      --chunk 2000 --workers 1 --warmup 0 --repeat 2 --external-workers --queue "ps-$$" \
      --join-timeout 30 --csv "$dir/external.csv" >"$dir/log" 2>&1 &
    pid=$!
    "$parbench" worker --queue "ps-$$" >"$dir/worker.log" 2>&1 &
    worker=$!
    watch_ps "$pid"
    ends_with 60 "$pid" 0 || fail "--external-workers with \$PARBENCH_REDIS_URL: $(cat "$dir/log")"
    # The worker leaves after its feeder, and removes what it wrote as it goes.
    ends_with 60 "$worker" 0 || fail "the worker after its feeder left: $(cat "$dir/worker.log")"
    # MPI ranks: the launcher hands them the URL through their environment too.
    if "$parbench" list | grep -E "^  mpi +yes" >/dev/null; then  # not -q: list writes it all
      # Open MPI keeps some allocations until exit by design: LeakSanitizer would report them.
      ASAN_OPTIONS=detect_leaks=0 watched "mpi" --kernel verify --n 1000003 --ipc none --backend mpi --workers 2 --warmup 0 \
        --repeat 2 --csv "$dir/mpi.csv"
      grep -q "mpirun" "$dir/cmdlines" || fail "no mpirun command line sampled"
    fi
    grep -q "parbench worker --queue" "$dir/cmdlines" || fail "no worker's command line sampled"
    [[ -z $(leaks "$dir/cmdlines") ]] || fail "a command line holds the password"
    [[ -z $(leaks "$dir"/*.csv "$dir"/*.log) ]] || fail "the password was written out"
    [[ $("${cli[@]}" dbsize) == 0 ]] || fail "keys left on the server" ;;
  ipv6)
    password='p@ss:w/rd'
    start_server ::1 "$password"
    "$parbench" run --kernel verify --n 100109100129101027 --ipc redis --check-every auto \
      --backend threads --workers 2 --warmup 0 --repeat 1 --csv "$dir/out.csv" \
      --redis "redis://:p%40ss%3Aw%2Frd@[::1]:$port/0" >"$dir/log" 2>&1 ||
      fail "an IPv6 server with a %-encoded password: $(cat "$dir/log")"
    grep -q ",171656941," "$dir/out.csv" || fail "wrong factor"
    [[ $("${cli[@]}" dbsize) == 0 ]] || fail "keys left on the server" ;;
  *)
    echo "unknown check $check"
    exit 2 ;;
esac
echo "$check: ok"
