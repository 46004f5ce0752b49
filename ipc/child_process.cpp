#include "ipc/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "ipc/cleanup.hpp"

extern char** environ;

namespace parbench::ipc {
namespace {

int open_pidfd(pid_t pid) {
  const int fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0)
    throw std::system_error(errno, std::generic_category(), "pidfd_open (needs Linux 5.3)");
  return fd;
}

// Runs in the child right after fork(): nothing here may allocate or take locks that another thread
// of the parent could have held at the time of the fork.
void become_dependent_child(pid_t parent, int death_signal) {
  if (death_signal != 0) prctl(PR_SET_PDEATHSIG, death_signal);
  if (getppid() != parent) _exit(127);  // the parent died before prctl took effect
  for (const int sig : {SIGINT, SIGTERM, SIGHUP})
    signal(sig, ignored_at_start(sig) ? SIG_IGN : SIG_DFL);
}

}  // namespace

ChildProcess::ChildProcess(pid_t pid, bool graceful) : pid_(pid), graceful_(graceful) {
  register_child(pid, graceful);
  try {
    pidfd_ = open_pidfd(pid);
  } catch (...) {
    terminate();
    throw;
  }
}

ChildProcess ChildProcess::fork_running(const std::function<int()>& body) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  if (pid == 0) {
    become_dependent_child(parent, SIGKILL);
    int code = 1;
    try {
      code = body();
    } catch (...) {
      code = 1;
    }
    _exit(code);  // never run the parent's atexit handlers or destructors twice
  }
  return ChildProcess(pid, false);
}

ChildProcess ChildProcess::spawn(const std::vector<std::string>& argv,
                                 const SpawnOptions& options) {
  // Everything the child needs is prepared before fork(), see become_dependent_child.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto open_output = [](const std::string& path) {
    if (path.empty()) return -1;
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), path);
    return fd;
  };
  const int output = open_output(options.output_file);
  const int output_stdout = open_output(options.stdout_file);
  const int input = options.own_process_group ? open("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
  std::vector<std::string> env_storage = options.extra_env;
  std::vector<char*> env;
  for (auto& e : env_storage) env.push_back(e.data());
  for (char** e = environ; *e != nullptr; ++e) env.push_back(*e);
  env.push_back(nullptr);

  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    become_dependent_child(parent, options.outlives_parent ? 0
                                   : options.graceful_stop ? SIGTERM
                                                           : SIGKILL);
    signal(SIGPIPE, SIG_DFL);  // parbench ignores it; the program it runs expects the default
    if (options.own_process_group) setpgid(0, 0);
    if (input >= 0) dup2(input, STDIN_FILENO);
    if (output >= 0) {
      dup2(output, STDOUT_FILENO);
      dup2(output, STDERR_FILENO);
    }
    if (output_stdout >= 0) dup2(output_stdout, STDOUT_FILENO);
    execvpe(args[0], args.data(), env.data());
    _exit(127);
  }
  if (input >= 0) close(input);
  if (output >= 0) close(output);
  if (output_stdout >= 0) close(output_stdout);
  if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
  return ChildProcess(pid, options.graceful_stop);
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), pidfd_(other.pidfd_), graceful_(other.graceful_), status_(other.status_) {
  other.pid_ = -1;
  other.pidfd_ = -1;
}

ChildProcess::~ChildProcess() {
  terminate();
  if (pidfd_ >= 0) close(pidfd_);
}

std::optional<int> ChildProcess::try_wait() {
  if (status_ || pid_ < 0) return status_;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    status_ = status;
    unregister_child(pid_);
  }
  return status_;
}

int ChildProcess::wait() {
  while (!try_wait()) {
    pollfd fd{pidfd_, POLLIN, 0};
    if (poll(&fd, 1, -1) < 0 && errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "poll");
    }
  }
  return *status_;
}

void ChildProcess::terminate() noexcept {
  if (pid_ < 0 || try_wait()) return;
  if (graceful_) {
    kill(pid_, SIGTERM);
    pollfd fd{pidfd_, POLLIN, 0};
    poll(&fd, 1, 2000);
    if (try_wait()) return;
  }
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = status;
  unregister_child(pid_);
}

std::string find_executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  const std::string dirs = path == nullptr ? "/usr/bin:/bin" : path;
  for (std::size_t start = 0; start <= dirs.size();) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

std::string self_executable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the parbench executable to start more of it");
  return path.string();
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with code {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return fmt::format("was killed by signal {} ({})", sig, strsignal(sig));
  }
  return fmt::format("stopped with wait status {}", status);
}

}  // namespace parbench::ipc
