// A child process that cannot be forgotten: registered for cleanup, watched through a pidfd (so a
// waiting parent learns of its death at once, inside the same poll() as its other events), killed
// and reaped by the destructor at the latest.
#pragma once

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace parbench::ipc {

class ChildProcess {
 public:
  // fork()s and runs body() in the child, which then _exit()s with its return value. The child dies
  // with its parent (PR_SET_PDEATHSIG) and takes the default action on Ctrl-C.
  static ChildProcess fork_running(const std::function<int()>& body);
  struct SpawnOptions {
    std::vector<std::string> extra_env;  // added to the environment
    // Stopped with SIGTERM, a moment to clean up, then SIGKILL; and sent SIGTERM (not SIGKILL) if
    // parbench dies, so that it can still clean up (mpirun: its ranks, their shared memory).
    bool graceful_stop = false;
    // In a process group of its own, reading /dev/null: a terminal's Ctrl-C then reaches parbench
    // alone, which stops the child once and in order, instead of every process of the job at once.
    bool own_process_group = false;
    // No death signal: the child notices its parent's death itself and cleans up after it (a queue
    // worker, when the feeder's heartbeat expires, removes what a feeder killed outright left on
    // the server).
    bool outlives_parent = false;
    std::string output_file;  // stdout and stderr go here when set
    std::string stdout_file;  // stdout alone goes here when set (output_file then takes stderr)
  };
  // fork()s and execs argv[0] (searched on PATH).
  static ChildProcess spawn(const std::vector<std::string>& argv, const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&&) = delete;
  ChildProcess(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_; }  // readable once the child has exited

  // The raw wait status once the child has exited (reaping it), nullopt while it runs.
  std::optional<int> try_wait();
  // Blocks until the child exits.
  int wait();
  // Sends SIGKILL (SIGTERM first for graceful children) and reaps.
  void terminate() noexcept;

 private:
  ChildProcess(pid_t pid, bool graceful);
  pid_t pid_ = -1;
  int pidfd_ = -1;
  bool graceful_ = false;
  std::optional<int> status_;
};

// The executable `name` resolves to: as given when it contains a slash, else the first match on
// PATH. Empty when there is none.
std::string find_executable(const std::string& name);

// This process's own executable, for starting more of it (MPI ranks, queue workers). Throws
// std::runtime_error when /proc does not say.
std::string self_executable();
// "exited with code 3", "was killed by signal 9 (Killed)".
std::string describe_wait_status(int status);

}  // namespace parbench::ipc
