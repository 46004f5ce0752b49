# Helpers for the tests that kill things (sourced).
exits_within() {  # exits_within SECONDS PID: true once PID has exited, false if it still runs then
  local deadline=$((SECONDS + $1))
  while kill -0 "$2" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
