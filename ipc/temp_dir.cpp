#include "ipc/temp_dir.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

#include "ipc/cleanup.hpp"
#include "ipc/fresh_name.hpp"

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

// Whether the process that made `entry` is gone. A directory also names its host (in its "host"
// file), so that a $TMPDIR shared by the nodes of a cluster never loses another node's live
// directory to a pid that merely does not exist here.
// A segment only when it is a plain file of this user under a name parbench makes (its random part
// included, ipc/fresh_name.hpp): never a link, never a file someone else planted under a guessed
// name.
bool is_stale(const fs::directory_entry& entry, bool is_directory) {
  const std::string name = entry.path().filename().string();
  const pid_t pid = is_directory ? owner_of(name) : ipc_name_owner(name);
  struct stat st {};
  if (pid <= 0 || pid == getpid() || ::lstat(entry.path().c_str(), &st) != 0) return false;
  if (st.st_uid != geteuid() || (!is_directory && !S_ISREG(st.st_mode))) return false;
  if (is_directory) {
    std::ifstream in(entry.path() / "host");
    std::string host;
    if (!std::getline(in, host) || host != this_host()) return false;
  }
  return process_gone(pid);
}

}  // namespace

std::string this_host() {
  std::array<char, 256> name{};
  gethostname(name.data(), name.size() - 1);
  return name.data();
}

bool process_gone(pid_t pid) { return ::kill(pid, 0) != 0 && errno == ESRCH; }

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
  std::ofstream(file("host")) << this_host() << "\n";
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
    if (entry.is_directory(ec) && is_stale(entry, true) && fs::remove_all(entry.path(), ec) > 0)
      ++removed;
  }
  for (const auto& entry : fs::directory_iterator("/dev/shm", ec)) {
    if (is_stale(entry, false) && ::shm_unlink(entry.path().filename().c_str()) == 0) ++removed;
  }
  return removed;
}

}  // namespace parbench::ipc
