# Sourced by the tests that need a /dev/shm of their own (a planted or a full one): re-runs the
# calling script in a private mount and pid namespace (unshare -m -p), where a tmpfs of
# PRIVATE_SHM_SIZE covers /dev/shm for this script's processes only; the /dev/shm everybody else
# uses is never touched. The pid namespace makes the pids of the runs small and predictable.
# Without root or unshare the test is skipped (exit 77) and says why.
if [[ -z ${PARBENCH_PRIVATE_SHM:-} ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "skipped: a private /dev/shm needs root (unshare -m and mount)"
    exit 77
  fi
  if ! unshare -m -p -f --mount-proc true 2>/dev/null; then
    echo "skipped: unshare -m -p is not allowed here"
    exit 77
  fi
  PARBENCH_PRIVATE_SHM=1 exec unshare -m -p -f --mount-proc --propagation private bash "$0" "$@"
fi
if ! mount -t tmpfs -o "size=${PRIVATE_SHM_SIZE:-64m},mode=1777" tmpfs /dev/shm; then
  echo "skipped: cannot mount a tmpfs on a private /dev/shm"
  exit 77
fi
