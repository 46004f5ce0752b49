#include "ipc/cleanup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <mutex>
#include <stdexcept>

namespace parbench::ipc {
namespace {

constexpr std::size_t kMaxChildren = 1024;
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
};

std::array<ChildSlot, kMaxChildren> g_children;
std::array<PathSlot, kMaxPaths> g_paths;
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

void on_signal(int sig) {
  cleanup_all();
  _exit(128 + sig);
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

void register_path(const std::string& path, PathKind kind) {
  if (path.size() >= kMaxPathLength) throw std::runtime_error("temporary path too long: " + path);
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_paths) {
    if (!slot.used.load()) {
      slot.kind = kind;
      std::memcpy(slot.path.data(), path.c_str(), path.size() + 1);
      slot.used.store(true);
      return;
    }
  }
  throw std::runtime_error("too many temporary paths to track");
}

void unregister_path(const std::string& path) {
  std::lock_guard lock(g_register_mutex);
  for (auto& slot : g_paths) {
    if (slot.used.load() && path == slot.path.data()) slot.used.store(false);
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
  // Files before directories: a directory can only go once it is empty.
  for (const PathKind kind : {PathKind::kSharedMemory, PathKind::kFile, PathKind::kDirectory}) {
    for (auto& slot : g_paths) {
      if (!slot.used.load() || slot.kind != kind) continue;
      const char* path = slot.path.data();
      if (kind == PathKind::kSharedMemory) shm_unlink(path);
      if (kind == PathKind::kFile) unlink(path);
      if (kind == PathKind::kDirectory) rmdir(path);
      slot.used.store(false);
    }
  }
  errno = saved_errno;
}

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&action.sa_mask, sig);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
  // A peer that went away (a killed broker or Redis server) must be an error on the write, which
  // the run reports, not a silent death of parbench (hiredis writes without MSG_NOSIGNAL).
  signal(SIGPIPE, SIG_IGN);
}

}  // namespace parbench::ipc
