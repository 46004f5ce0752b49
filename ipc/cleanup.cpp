#include "ipc/cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace parbench::ipc {
namespace {

// Every worker --workers allows (4096, harness/backends/parse.cpp) plus the servers and launchers
// beside them.
constexpr std::size_t kMaxChildren = 4096 + 64;
constexpr std::size_t kMaxPaths = 64;
constexpr std::size_t kMaxPathLength = 256;

struct ChildSlot {
  std::atomic<pid_t> pid{0};
  std::atomic<bool> graceful{false};
};
struct PathSlot {
  std::atomic<bool> used{false};
  PathKind kind = PathKind::kFile;
  std::array<char, kMaxPathLength> path{};
  std::array<char, kMaxPathLength> target{};  // kCommit only
};

constexpr std::size_t kMaxFarewells = 8;
constexpr std::size_t kMaxFarewellLength = 1024;
struct FarewellSlot {
  std::atomic<int> fd{-1};
  std::array<char, kMaxFarewellLength> request{};
  std::size_t length = 0;
};

std::array<ChildSlot, kMaxChildren> g_children;
std::array<FarewellSlot, kMaxFarewells> g_farewells;
std::array<PathSlot, kMaxPaths> g_paths;
constexpr int kHandledSignals[] = {SIGINT, SIGTERM, SIGHUP};
std::array<bool, NSIG> g_ignored_at_start{};

// The note, double-buffered so that the handler always reads a whole one.
constexpr std::size_t kMaxNote = 512;
std::array<std::array<char, kMaxNote>, 2> g_notes{};
std::atomic<int> g_current_note{-1};
std::mutex
    g_register_mutex;  // registration happens on ordinary threads; only the handler is lock-free

void sleep_ms(long ms) noexcept {
  timespec ts{0, ms * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

// Waits up to `ms` for pid to exit; true when reaped.
bool reap_within(pid_t pid, int ms) noexcept {
  for (int waited = 0;; waited += 5) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (waited >= ms) return false;
    sleep_ms(5);
  }
}

void copy_path(std::array<char, kMaxPathLength>& to, const std::string& from) {
  if (from.size() >= kMaxPathLength) throw std::runtime_error("temporary path too long: " + from);
  std::memcpy(to.data(), from.c_str(), from.size() + 1);
}

void on_signal(int sig) {
  cleanup_all();
  const int note = g_current_note.load();
  if (note >= 0) {
    const char* text = g_notes[static_cast<std::size_t>(note)].data();
    [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, text, strlen(text));
  }
  _exit(128 + sig);
}

void add_path(const std::string& path, const std::string& target, PathKind kind) {
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_paths) {
    if (!slot.used.load()) {
      slot.kind = kind;
      copy_path(slot.path, path);
      copy_path(slot.target, target);
      slot.used.store(true);
      return;
    }
  }
  throw std::runtime_error("too many temporary paths to track");
}

}  // namespace

void register_child(pid_t pid, bool graceful) {
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_children) {
    if (slot.pid.load() == 0) {
      slot.graceful.store(graceful);
      slot.pid.store(pid);
      return;
    }
  }
  throw std::runtime_error("too many child processes to track");
}

void unregister_child(pid_t pid) {
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_children) {
    if (slot.pid.load() == pid) slot.pid.store(0);
  }
}

void register_path(const std::string& path, PathKind kind) { add_path(path, "", kind); }

void register_commit(const std::string& path, const std::string& target) {
  add_path(path, target, PathKind::kCommit);
}

void set_interrupt_note(const std::string& text) {
  std::lock_guard lock(g_register_mutex);
  const int next = g_current_note.load() == 0 ? 1 : 0;
  auto& buffer = g_notes[static_cast<std::size_t>(next)];
  const std::size_t n = std::min(text.size(), kMaxNote - 2);
  std::memcpy(buffer.data(), text.data(), n);
  buffer[n] = '\n';
  buffer[n + 1] = '\0';
  g_current_note.store(text.empty() ? -1 : next);
}

bool ignored_at_start(int sig) noexcept {
  return sig > 0 && sig < NSIG && g_ignored_at_start[static_cast<std::size_t>(sig)];
}

void unregister_path(const std::string& path) {
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_paths) {
    if (slot.used.load() && path == slot.path.data()) slot.used.store(false);
  }
}

void register_farewell(int fd, const std::string& request) {
  if (request.size() > kMaxFarewellLength) throw std::runtime_error("farewell request too long");
  const std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_farewells) {
    if (slot.fd.load() >= 0) continue;
    std::memcpy(slot.request.data(), request.data(), request.size());
    slot.length = request.size();
    slot.fd.store(fd);  // published last: the handler sees a whole request or none
    return;
  }
  throw std::runtime_error("too many farewells registered");
}

void unregister_farewell(int fd) {
  const std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_farewells) {
    int expected = fd;
    slot.fd.compare_exchange_strong(expected, -1);
  }
}

// Removes what is inside directory `dir`, `depth` levels of subdirectories deep, with system calls
// alone (getdents64, unlinkat): it runs inside a signal handler. Unlinking while reading may skip
// entries, so it reads again until a pass removes nothing.
static void empty_tree(int dir, int depth) {
  for (int pass = 0; pass < 8; ++pass) {
    bool removed = false;
    lseek(dir, 0, SEEK_SET);
    alignas(8) char buf[2048];
    for (ssize_t n; (n = getdents64(dir, buf, sizeof buf)) > 0;) {
      for (ssize_t at = 0; at < n;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buf + at);
        at += entry->d_reclen;
        const char* name = entry->d_name;
        if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
        if (unlinkat(dir, name, 0) == 0) {
          removed = true;
          continue;
        }
        if (depth == 0) continue;
        const int sub = openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (sub < 0) continue;
        empty_tree(sub, depth - 1);
        close(sub);
        removed = unlinkat(dir, name, AT_REMOVEDIR) == 0 || removed;
      }
    }
    if (!removed) return;
  }
}

void cleanup_all() noexcept {
  const int saved_errno = errno;
  for (auto& slot : g_children) {
    const pid_t pid = slot.pid.load();
    if (pid > 0 && slot.graceful.load()) kill(pid, SIGTERM);
  }
  for (auto& slot : g_children) {
    const pid_t pid = slot.pid.exchange(0);
    if (pid <= 0) continue;
    if (slot.graceful.load() && reap_within(pid, 2000)) continue;
    kill(pid, SIGKILL);
    reap_within(pid, 2000);
  }
  for (auto& slot : g_farewells) {
    const int fd = slot.fd.exchange(-1);
    if (fd < 0) continue;
    if (write(fd, slot.request.data(), slot.length) != static_cast<ssize_t>(slot.length)) continue;
    pollfd answer{fd, POLLIN, 0};
    if (poll(&answer, 1, 500) > 0) {
      char reply[64];
      [[maybe_unused]] const ssize_t got = read(fd, reply, sizeof reply);
    }
  }
  // Files before directories: a directory can only go once it is empty.
  for (const PathKind kind : {PathKind::kCommit, PathKind::kSharedMemory, PathKind::kFile,
                              PathKind::kEmptyFile, PathKind::kTree, PathKind::kDirectory}) {
    for (auto& slot : g_paths) {
      if (!slot.used.load() || slot.kind != kind) continue;
      const char* path = slot.path.data();
      if (kind == PathKind::kCommit) rename(path, slot.target.data());
      if (kind == PathKind::kSharedMemory) shm_unlink(path);
      if (kind == PathKind::kFile) unlink(path);
      struct stat st {};
      if (kind == PathKind::kEmptyFile && stat(path, &st) == 0 && st.st_size == 0) unlink(path);
      if (kind == PathKind::kDirectory) rmdir(path);
      if (kind == PathKind::kTree) {
        const int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
          empty_tree(fd, 2);
          close(fd);
        }
      }
      slot.used.store(false);
    }
  }
  errno = saved_errno;
}

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (const int sig : kHandledSignals) sigaddset(&action.sa_mask, sig);
  for (const int sig : kHandledSignals) {
    // `nohup parbench ...`: a signal ignored by whoever started us stays ignored.
    struct sigaction before {};
    sigaction(sig, nullptr, &before);
    g_ignored_at_start[static_cast<std::size_t>(sig)] = before.sa_handler == SIG_IGN;
    if (!g_ignored_at_start[static_cast<std::size_t>(sig)]) sigaction(sig, &action, nullptr);
  }
  // A peer that went away (a killed broker or Redis server) must be an error on the write, which
  // the run reports, not a silent death of parbench (hiredis writes without MSG_NOSIGNAL).
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace parbench::ipc
