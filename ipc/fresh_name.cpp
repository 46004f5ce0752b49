#include "ipc/fresh_name.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <charconv>
#include <stdexcept>
#include <system_error>

#include "ipc/cleanup.hpp"

namespace parbench::ipc {
namespace {

constexpr std::size_t kRandomDigits = 16;

std::uint64_t random_word() {
  std::uint64_t word = 0;
  auto* at = reinterpret_cast<unsigned char*>(&word);
  for (std::size_t got = 0; got < sizeof word;) {
    const ssize_t n = getrandom(at + got, sizeof word - got, 0);
    if (n < 0 && errno != EINTR)
      throw std::system_error(errno, std::generic_category(), "getrandom");
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  return word;
}

std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kKiB = 1024, kMiB = kKiB * kKiB;
  if (bytes >= kMiB) return fmt::format("{} MiB", (bytes + kMiB - 1) / kMiB);
  return fmt::format("{} KiB", (bytes + kKiB - 1) / kKiB);
}

std::string shown(const std::string& dir) { return dir.empty() ? "/dev/shm" : dir; }

// "/dev/shm has 3 MiB free; the block needs 256 MiB"
std::string no_room(std::uint64_t bytes, const std::string& dir, const std::string& what) {
  struct statvfs fs {};
  const std::string where = shown(dir);
  if (statvfs(where.c_str(), &fs) != 0)
    return fmt::format("{} is full; {} needs {}", where, what, size_text(bytes));
  const std::uint64_t free = std::uint64_t{fs.f_bavail} * fs.f_frsize;
  return fmt::format("{} has {} MiB free; {} needs {}", where, free >> 20, what, size_text(bytes));
}

}  // namespace

std::string unique_ipc_name(const char* what) {
  return fmt::format("parbench-{}-{}-{:016x}", getpid(), what, random_word());
}

pid_t ipc_name_owner(std::string_view name) {
  constexpr std::string_view kPrefix = "parbench-";
  if (!name.starts_with(kPrefix)) return 0;
  name.remove_prefix(kPrefix.size());
  pid_t pid = 0;
  const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (ec != std::errc() || pid <= 0 || end == name.data() + name.size() || *end != '-') return 0;
  name.remove_prefix(static_cast<std::size_t>(end - name.data()) + 1);
  const auto dash = name.find('-');
  if (dash == 0 || dash == std::string_view::npos) return 0;
  for (const char c : name.substr(0, dash)) {
    if (c < 'a' || c > 'z') return 0;
  }
  const std::string_view random = name.substr(dash + 1);
  if (random.size() != kRandomDigits) return 0;
  for (const char c : random) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
  }
  return pid;
}

Created create_exclusive(const std::string& dir, const char* what) {
  const bool shared_memory = dir.empty();
  // Another file under a fresh random name is a collision of 64 random bits, or someone who saw
  // the name: either way a new draw, and a handful of them is more than enough.
  for (int attempt = 0; attempt < 16; ++attempt) {
    const std::string name = unique_ipc_name(what);
    const std::string path = shared_memory ? "/" + name : dir + "/" + name;
    register_path(path, shared_memory ? PathKind::kSharedMemory : PathKind::kFile);
    // O_EXCL also refuses a symbolic link in the name's place: nothing is ever opened through one.
    constexpr int kFlags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    const int fd =
        shared_memory ? shm_open(path.c_str(), kFlags, 0600) : ::open(path.c_str(), kFlags, 0600);
    if (fd >= 0) return {fd, path};
    const int error = errno;
    unregister_path(path);  // not ours: the cleanup must never remove it
    if (error != EEXIST) {
      throw std::system_error(error, std::generic_category(),
                              "creating " + (shared_memory ? "/dev/shm" + path : path));
    }
  }
  throw std::runtime_error("cannot create a file of a fresh name in " + shown(dir) +
                           ": every name drawn exists");
}

void reserve(int fd, std::uint64_t bytes, const std::string& dir, const std::string& what) {
  if (bytes == 0) return;
  const int rc = posix_fallocate(fd, 0, static_cast<off_t>(bytes));
  if (rc == 0) return;
  if (rc == ENOSPC) throw NoRoom(no_room(bytes, dir, what));
  // A file system that cannot reserve (glibc writes a byte per block where fallocate is missing,
  // so this is rare): sized only, as before.
  if ((rc == EOPNOTSUPP || rc == EINVAL) && ::ftruncate(fd, static_cast<off_t>(bytes)) == 0) return;
  throw std::system_error(rc, std::generic_category(),
                          "reserving " + size_text(bytes) + " in " + shown(dir));
}

void require_room(std::uint64_t bytes, const std::string& dir, const std::string& what) {
  struct statvfs fs {};
  if (statvfs(shown(dir).c_str(), &fs) != 0) return;  // cannot tell: the touch will
  if (std::uint64_t{fs.f_bavail} * fs.f_frsize < bytes) throw NoRoom(no_room(bytes, dir, what));
}

}  // namespace parbench::ipc
