# Helpers for the tests that kill things (sourced).
exits_within() {  # exits_within SECONDS PID: true once PID has exited, false if it still runs then
  local deadline=$((SECONDS + $1))
  while kill -0 "$2" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
procs_mentioning() {  # procs_mentioning TEXT: pids whose command line or environment holds TEXT
  local proc parent self
  self=$(tr '\0' ' ' <"/proc/$$/cmdline")
  for proc in /proc/[0-9]*; do
    # Not this script or its subshells (same command line), nor the children of this subshell.
    parent=$(cut -d' ' -f4 "$proc/stat" 2>/dev/null)
    [[ $parent == "$BASHPID" ]] && continue
    [[ $(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null) == "$self" ]] && continue
    grep -qaF -- "$1" "$proc/cmdline" "$proc/environ" 2>/dev/null && echo "${proc#/proc/}"
  done
  return 0
}
ends_with() {  # ends_with SECONDS PID CODE: PID (a child of this shell) exits within SECONDS with CODE
  exits_within "$1" "$2" || { echo "$2 still runs $1 s later"; return 1; }
  local rc=0
  wait "$2" || rc=$?
  [[ $rc -eq $3 ]] || { echo "exit code $rc, expected $3"; return 1; }
}
kill_a_worker() {  # kill_a_worker PID: kill -9 a live child of PID, again if it had just finished
  local child state try deadline
  for try in 1 2 3; do
    deadline=$((SECONDS + 10))
    child=
    # Workers come and go between repetitions: wait for one that runs (not a zombie).
    while [[ -z $child ]] && ((SECONDS < deadline)); do
      for child in $(pgrep -P "$1"); do
        state=$(cut -d' ' -f3 "/proc/$child/stat" 2>/dev/null)
        [[ -n $state && $state != Z ]] && break
        child=
      done
      [[ -n $child ]] || sleep 0.01
    done
    [[ -n $child ]] || { echo "no worker of $1 found"; return 1; }
    kill -9 "$child" 2>/dev/null || true
    exits_within 5 "$1" && return 0  # the run saw its worker die
  done
  echo "$1 still runs after 3 workers were killed"
  return 1
}
