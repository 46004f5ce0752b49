#include "ipc/temp_dir.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "ipc/cleanup.hpp"

namespace parbench::ipc {
namespace {

namespace fs = std::filesystem;

// The pid in "parbench-<pid>-...", or 0.
pid_t owner_of(std::string_view name) {
  constexpr std::string_view kPrefix = "parbench-";
  if (name.substr(0, kPrefix.size()) != kPrefix) return 0;
  name.remove_prefix(kPrefix.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || end == name.data() + name.size() || *end != '-') return 0;
  return pid;
}

bool is_stale(const fs::directory_entry& entry) {
  const pid_t pid = owner_of(entry.path().filename().string());
  struct stat st {};
  if (pid <= 0 || pid == getpid() || ::lstat(entry.path().c_str(), &st) != 0) return false;
  return st.st_uid == geteuid() && ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string temp_base() {
  const char* base = std::getenv("TMPDIR");
  if (base == nullptr || *base == '\0') return "/tmp";
  std::error_code ec;
  const fs::path absolute = fs::absolute(base, ec);
  return ec ? std::string(base) : absolute.lexically_normal().string();
}

TempDir::TempDir() {
  const std::string base = temp_base();
  std::string pattern = fmt::format("{}/parbench-{}-XXXXXX", base, getpid());
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::system_error(errno, std::generic_category(),
                            "cannot create a temporary directory in " + base);
  }
  path_ = pattern;
  register_path(path_, PathKind::kDirectory);
}

TempDir::~TempDir() {
  for (const auto& f : files_) {
    ::unlink(f.c_str());
    unregister_path(f);
  }
  ::rmdir(path_.c_str());
  unregister_path(path_);
}

std::string TempDir::file(const std::string& name) {
  std::string path = path_ + "/" + name;
  register_path(path, PathKind::kFile);
  files_.push_back(path);
  return path;
}

int remove_stale_leftovers() noexcept {
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(temp_base(), ec)) {
    if (entry.is_directory(ec) && is_stale(entry) && fs::remove_all(entry.path(), ec) > 0)
      ++removed;
  }
  for (const auto& entry : fs::directory_iterator("/dev/shm", ec)) {
    if (is_stale(entry) && ::shm_unlink(entry.path().filename().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace parbench::ipc
