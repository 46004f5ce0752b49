// python and python-pure: the kernel's Python form (python/parbench_py, the book's code) under
// CPython's multiprocessing, with --workers forked processes, so that its rows sit beside the
// native ones in the same CSV, judged by the same runner. `python-pure` is the pure-Python pi (the
// book's first loop); `python` uses numpy where the book does.
//
// One interpreter per configuration: `python3 -m parbench_py` in a process group of its own, with
// PYTHONPATH at the repository's python/ directory. It reads the configuration as one JSON line on
// stdin, makes its mechanism and its pool and says "ready" (setup ends there), then answers each
// "run" with one line: the folded result, each worker's load, its workers' CPU time. The protocol
// (version 1) is written down in python/parbench_py/__main__.py. Repetitions are timed here, as for
// the processes backend. A worker that raises or dies makes the interpreter answer "error ...": a
// failed row naming it; the whole group is then killed, and so is it after every configuration, so
// that no worker, manager process or Redis connection outlives it. Its TMPDIR is a private
// directory of parbench's (the file counters' files, a Manager's pymp-* directory), removed with
// whatever is in it once the group is gone: a killed worker or interpreter cleans nothing up.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "harness/backends/mechanism.hpp"
#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"
#include "ipc/child_process.hpp"
#include "ipc/cleanup.hpp"
#include "ipc/temp_dir.hpp"

extern char** environ;

namespace parbench::backends {
namespace {

constexpr int kProtocol = 1;
// The oldest CPython the Python side is written for (python/parbench_py/__init__.py, MIN_PYTHON).
constexpr int kMinMajor = 3;
constexpr int kMinMinor = 9;
// How long a healthy interpreter may take to stop its pool once its stdin closes.
constexpr int kStopWait_ms = 3000;
// How long the version probe may take: a stalled $PARBENCH_PYTHON must not hang `list` or `run`.
constexpr int kProbeWait_s = 5;

// The interpreter: $PARBENCH_PYTHON, or Debian's (the `python3` on a PATH may be a virtual
// environment that cannot see python3-numpy).
std::string interpreter() {
  const char* chosen = std::getenv("PARBENCH_PYTHON");
  return chosen != nullptr && *chosen != '\0' ? chosen : "/usr/bin/python3";
}

// The directory holding parbench_py: $PARBENCH_PYTHON_DIR, or python/ of the source tree this
// binary was built from (PARBENCH_PYTHON_SOURCE_DIR, set by harness/CMakeLists.txt).
std::string python_dir() {
  const char* chosen = std::getenv("PARBENCH_PYTHON_DIR");
  return chosen != nullptr && *chosen != '\0' ? chosen : PARBENCH_PYTHON_SOURCE_DIR;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// A pipe whose ends close with the object, never inherited by accident (O_CLOEXEC).
struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
      throw std::system_error(errno, std::generic_category(), "pipe2");
    read = fds[0];
    write = fds[1];
  }
  static void close_fd(int& fd) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
  ~Pipe() {
    close_fd(read);
    close_fd(write);
  }
};

// The interpreter with its stdin and stdout as pipes, in a process group of its own (so that a
// terminal's Ctrl-C reaches parbench alone, which stops the whole group), dying with parbench.
class Interpreter {
 public:
  // quiet: its stderr goes to /dev/null (the probe, whose failure is told in one line).
  explicit Interpreter(const std::vector<std::string>& argv, bool quiet = false) {
    // On Ctrl-C parbench ends in its signal handler: what is inside goes there too.
    ipc::register_path(tmp_->path(), ipc::PathKind::kTree);
    std::vector<std::string> env_text;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view v(*e);
      if (!v.starts_with("PYTHONPATH=") && !v.starts_with("PYTHONDONTWRITEBYTECODE=") &&
          !v.starts_with("TMPDIR="))
        env_text.emplace_back(v);
    }
    env_text.push_back("PYTHONPATH=" + python_dir());
    env_text.emplace_back("PYTHONDONTWRITEBYTECODE=1");  // nothing written into the source tree
    env_text.push_back("TMPDIR=" + tmp_->path());
    const int err = quiet ? open("/dev/null", O_WRONLY | O_CLOEXEC) : -1;
    // Everything the child needs is made before the fork (ipc/child_process.cpp says why).
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char*> env;
    for (auto& e : env_text) env.push_back(e.data());
    env.push_back(nullptr);
    const int in = to_child_.read;
    const int out = from_child_.write;
    child_.emplace(ipc::ChildProcess::fork_running([&args, &env, in, out, err] {
      setpgid(0, 0);
      if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || (err >= 0 && dup2(err, 2) < 0)) return 126;
      execve(args[0], args.data(), env.data());
      return 127;
    }));
    setpgid(child_->pid(), child_->pid());  // also here: no race with a kill of the group
    if (err >= 0) close(err);
    Pipe::close_fd(to_child_.read);
    Pipe::close_fd(from_child_.write);
  }
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;
  ~Interpreter() { stop(false); }

  pid_t pid() const { return child_->pid(); }

  void send(const std::string& line) {
    const std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(to_child_.write, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw WorkerFailure(died("while it was sent a request"));
      done += static_cast<std::size_t>(n);
    }
  }

  // The next line it writes; WorkerFailure when it dies first, even when a process it forked
  // still holds its stdout open (its pidfd is watched too).
  std::string receive() { return *receive_within(-1); }

  // The same, or nothing when timeout_ms (-1: no limit) passes first.
  std::optional<std::string> receive_within(int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      int wait_ms = -1;
      if (timeout_ms >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        wait_ms = static_cast<int>(left.count());
      }
      pollfd fds[2] = {{from_child_.read, POLLIN, 0}, {child_->pidfd(), POLLIN, 0}};
      if (poll(fds, 2, wait_ms) < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category(), "poll");
      }
      // What it wrote before it exited is in the pipe already: read first, judge the exit after.
      if ((fds[0].revents & (POLLIN | POLLHUP)) == 0) {
        if ((fds[1].revents & POLLIN) != 0) throw WorkerFailure(died("before it answered"));
        continue;
      }
      char chunk[4096];
      const ssize_t n = ::read(from_child_.read, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw WorkerFailure(died("before it answered"));
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Closes its stdin (it then stops its pool and exits), waits a moment when it is healthy, then
  // kills whatever of its group is left and reaps it.
  void stop(bool healthy) noexcept {
    if (!child_) return;
    Pipe::close_fd(to_child_.write);
    if (healthy) {
      pollfd fd{child_->pidfd(), POLLIN, 0};
      poll(&fd, 1, kStopWait_ms);
    }
    kill(-child_->pid(), SIGKILL);  // its workers and manager: the group is named by its pid
    child_->terminate();
    child_.reset();
    // The group is gone: what its processes left in their TMPDIR goes with the directory.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(tmp_->path(), ec))
      std::filesystem::remove_all(entry.path(), ec);
    tmp_.reset();
  }

 private:
  std::string died(const char* when) {
    Pipe::close_fd(to_child_.write);
    const int status = child_->wait();
    kill(-child_->pid(), SIGKILL);
    return fmt::format("the python interpreter (pid {}) {} {}", child_->pid(),
                       ipc::describe_wait_status(status), when);
  }

  std::optional<ipc::TempDir> tmp_{std::in_place};  // made first, removed last
  Pipe to_child_;
  Pipe from_child_;
  std::optional<ipc::ChildProcess> child_;
  std::string buffer_;
};

// "key=value" tokens after the first word of a reply.
std::optional<std::string> field(const std::string& line, const std::string& key) {
  const std::string token = " " + key + "=";
  const auto at = line.find(token);
  if (at == std::string::npos) return std::nullopt;
  const auto begin = at + token.size();
  return line.substr(begin, line.find(' ', begin) - begin);
}

template <typename T>
T number(const std::string& text, const std::string& line) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::runtime_error(fmt::format("the python side answered \"{}\"", line));
  return value;
}

// "a:b,c:d" as its pairs.
std::vector<std::pair<std::string, std::string>> pairs(const std::string& list,
                                                       const std::string& line) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t begin = 0; begin < list.size();) {
    const auto end = std::min(list.find(',', begin), list.size());
    const std::string pair = list.substr(begin, end - begin);
    const auto colon = pair.find(':');
    if (colon == std::string::npos)
      throw std::runtime_error(fmt::format("the python side answered \"{}\"", line));
    out.emplace_back(pair.substr(0, colon), pair.substr(colon + 1));
    begin = end + 1;
  }
  return out;
}

// What the interpreter found wrong, as the runner expects it: refused (no Python form) or failed.
[[noreturn]] void throw_reply(const std::string& line) {
  if (line.starts_with("unreachable ")) throw ipc::Unreachable(line.substr(12));
  if (line.starts_with("error ")) throw WorkerFailure(line.substr(6));
  throw std::runtime_error(fmt::format("the python side answered \"{}\"", line));
}

class PythonBackend final : public Backend {
 public:
  explicit PythonBackend(std::string variant) : variant_(std::move(variant)) {}
  ~PythonBackend() override { stop(); }

  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    const Mechanism* m = work.mechanism();
    flag_ = m != nullptr;
    std::string args;
    for (const auto& a : work.cli_args()) args += (args.empty() ? "" : ",") + json_string(a);
    std::string join = "null";
    if (m != nullptr) {  // a server the Python side joins (the run's Redis key)
      const auto j = m->join_args();
      for (std::size_t i = 0; i + 1 < j.size(); i += 2) {
        if (j[i] == "--join-url") url_ = j[i + 1];
        if (j[i] == "--join-key") key_ = j[i + 1];
      }
      if (!key_.empty())
        join = fmt::format(R"({{"url": {}, "key": {}}})", json_string(url_), json_string(key_));
    }
    // Through stdin, never the command line: a Redis URL may hold a password.
    const std::string config = fmt::format(
        R"({{"protocol": {}, "kernel": {}, "variant": {}, "params": {}, "args": [{}], )"
        R"("size": {}, "workers": {}, "schedule": {}, "chunk": {}, "ipc": {}, "join": {}}})",
        kProtocol, json_string(work.kernel()), json_string(variant_), json_string(work.params()),
        args, work.size(), workers, json_string(schedule_name(schedule.kind)), schedule.chunk,
        json_string(m != nullptr ? m->name() : "none"), join);
    python_ =
        std::make_unique<Interpreter>(std::vector<std::string>{interpreter(), "-m", "parbench_py"});
    python_->send(config);
    const std::string ready = python_->receive();
    if (!ready.starts_with(fmt::format("ready {}", kProtocol))) throw_reply(ready);
  }

  RunOutput run() override {
    python_->send("run");
    const std::string line = python_->receive();
    if (!line.starts_with("result ")) {
      broken_ = true;
      throw_reply(line);
    }
    RunOutput out;
    const std::string value = line.substr(7, line.find(' ', 7) - 7);
    out.result = number<std::uint64_t>(value, line);
    out.outside_cpu_s = number<double>(field(line, "cpu_s").value_or(""), line);
    for (const auto& [busy, items] : pairs(field(line, "workers").value_or(""), line))
      out.workers.push_back({number<double>(busy, line), number<std::uint64_t>(items, line)});
    // Where the interpreter does untimed work inside "run" (fill: the parent writes the default
    // before, and inspects the array after), it times the workers' part itself.
    if (const auto wall = field(line, "wall_s")) out.wall_s = number<double>(*wall, line);
    // An array kept in Python (a multiprocessing.Array): what its inspection tallied, judged by the
    // native block's rules; the value is the array's checksum.
    if (const auto found = field(line, "found")) {
      Measurements tallies;
      for (const auto& [name, count] : pairs(*found, line))
        tallies.push_back({name, number<double>(count, line)});
      work_->mechanism()->take_inspection(tallies);
    }
    // A counter kept in Python (a RawValue, a file): what it reached, into the native one.
    if (const auto reached = field(line, "reached"))
      work_->mechanism()->take_reached(number<std::uint64_t>(*reached, line));
    // A stop flag's looks happen in the Python workers: counted there (the native flag counts
    // none: the backend declares report_through_backend).
    if (flag_ && work_->kernel() == "verify")
      out.measurements.push_back(
          {"checks", number<double>(field(line, "checks").value_or(""), line)});
    return out;
  }

  void stop() noexcept override {
    if (python_) python_->stop(!broken_);
    python_.reset();
    broken_ = false;
  }

 private:
  std::string variant_;
  const Workload* work_ = nullptr;
  bool flag_ = false;
  bool broken_ = false;
  std::string url_;
  std::string key_;
  std::unique_ptr<Interpreter> python_;
};

// The interpreter's version and numpy's, asked once: "3.11.2 1.24.2".
Availability python_availability() {
  static const Availability known = [] {
    const std::string python = interpreter();
    if (access(python.c_str(), X_OK) != 0)
      return Availability{false, fmt::format("{} not found (apt-get install python3)", python)};
    const std::string dir = python_dir();
    if (!std::filesystem::exists(std::filesystem::path(dir) / "parbench_py" / "__main__.py"))
      return Availability{false, fmt::format("{}/parbench_py is missing (set PARBENCH_PYTHON_DIR "
                                             "to the repository's python/ directory)",
                                             dir)};
    const char* chosen = std::getenv("PARBENCH_PYTHON");
    const std::string named =
        chosen != nullptr && *chosen != '\0' ? "PARBENCH_PYTHON=" + python : python;
    const auto not_python = [&](const std::string& why) {
      return Availability{false, fmt::format("{} is not a Python {}.{}+ interpreter: {}", named,
                                             kMinMajor, kMinMinor, why)};
    };
    std::error_code ec;
    if (std::filesystem::is_directory(python, ec)) return not_python("it is a directory");
    try {
      // Written so that any Python parses it: an old one must be named, not crash.
      Interpreter probe({python, "-c",
                         "import sys\nv = sys.version_info\nprint('%d.%d.%d' % tuple(v[:3]))\n"
                         "try:\n import numpy\n print(numpy.__version__)\n"
                         "except ImportError:\n print('-')"},
                        true);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kProbeWait_s);
      const auto next = [&] {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        return probe.receive_within(static_cast<int>(std::max<long long>(0, left.count())));
      };
      const auto version = next();
      if (!version)
        return Availability{false, fmt::format("{} did not answer in {} s", named, kProbeWait_s)};
      int major = 0, minor = 0;
      if (std::sscanf(version->c_str(), "%d.%d", &major, &minor) != 2)
        return not_python("it did not print its version");
      if (major < kMinMajor || (major == kMinMajor && minor < kMinMinor))
        return Availability{false,
                            fmt::format("{} is Python {}, older than {}.{}, the oldest the python "
                                        "backend supports",
                                        python, *version, kMinMajor, kMinMinor)};
      const auto numpy = next();
      if (!numpy)
        return Availability{false, fmt::format("{} did not answer in {} s", named, kProbeWait_s)};
      probe.stop(true);
      if (*numpy == "-")
        return Availability{false, fmt::format("{} {} has no numpy (apt-get install python3-numpy)",
                                               python, *version)};
      return Availability{true, fmt::format("CPython {}, numpy {}", *version, *numpy)};
    } catch (const WorkerFailure& e) {
      return not_python(e.what());
    } catch (const std::exception& e) {
      return Availability{false, e.what()};
    }
  }();
  return known;
}

BackendEntry python_entry(std::string name, std::string summary, std::string variant) {
  return {.name = std::move(name),
          .summary = std::move(summary),
          .make = [variant] { return std::unique_ptr<Backend>(new PythonBackend(variant)); },
          .availability = python_availability,
          .model = {.workers = ipc::Workers::kPythonProcesses,
                    .report_through_backend = true,
                    .make_own_blocks = true},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic,
                        ScheduleKind::kQueue},
          // scripts/bench runs a Python slice of its own: a pure-Python pi takes minutes.
          .in_default_matrix = false,
          .runs_any_workload = false};  // only the kernels' Python forms
}

}  // namespace

BackendEntry python_backend() {
  return python_entry("python",
                      "the kernel's Python form under multiprocessing (numpy where the book uses "
                      "it)",
                      "numpy");
}

BackendEntry python_pure_backend() {
  return python_entry("python-pure", "the pure-Python pi under multiprocessing", "pure");
}

}  // namespace parbench::backends
