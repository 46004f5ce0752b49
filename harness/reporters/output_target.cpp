#include "harness/reporters/output_target.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "harness/records/errors.hpp"

namespace parbench {
namespace {

namespace fs = std::filesystem;

std::string inode_key(const struct stat& st) { return fmt::format("{}:{}", st.st_dev, st.st_ino); }

// Whether `path`'s directory lets users other than its owner add or replace entries (group or
// world writable, sticky or not): there, a link or file someone else made may be a trap.
bool in_shared_directory(const fs::path& path) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  struct stat st {};
  return ::stat(dir.c_str(), &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) != 0;
}

// Nobody let in: a link, file, FIFO or device that another user made in a directory others can
// write is never followed, appended to, replaced or written through (what the kernel's
// protected_symlinks and protected_regular do for sticky directories, here whatever the sysctls
// say). `st` is what lstat() found at `path`.
void refuse_foreign(const fs::path& path, const struct stat& st, const std::string& option,
                    const std::string& given) {
  if (st.st_uid == ::geteuid() || !in_shared_directory(path)) return;
  throw UsageError(fmt::format(
      "{} {}: {} belongs to another user (uid {}) in a directory others can write; refusing to "
      "{} it (name a file of your own)",
      option, given, path.string(), st.st_uid, S_ISLNK(st.st_mode) ? "follow" : "write to"));
}

// The path a chain of symlinks ends at (the chain's last link may dangle: then the file it names
// is what a write creates, as with a shell's `>`).
std::string follow_symlinks(const std::string& given, const std::string& option) {
  fs::path p = given;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return p.string();
    refuse_foreign(p, st, option, given);
    if (!S_ISLNK(st.st_mode)) return p.string();
    const fs::path target = fs::read_symlink(p);
    p = target.is_absolute() ? target : p.parent_path() / target;
  }
  throw UsageError(fmt::format("{} {}: too many levels of symbolic links", option, given));
}

}  // namespace

OutputTarget resolve_output(const std::string& given, const std::string& option) {
  OutputTarget t{option, given, OutputTarget::Kind::kFile, given, ""};
  if (given.empty())
    throw UsageError(fmt::format("{} needs a file name (or - for standard output)", option));
  struct stat st {};
  if (given == "-") {
    t.kind = OutputTarget::Kind::kStdout;
    t.identity = ::fstat(STDOUT_FILENO, &st) == 0 ? inode_key(st) : "stdout";
    return t;
  }
  if (::stat(given.c_str(), &st) == 0) {  // exists: what is it (symlinks followed)?
    if (S_ISDIR(st.st_mode)) throw UsageError(fmt::format("{} {} is a directory", option, given));
    t.identity = inode_key(st);
    if (!S_ISREG(st.st_mode)) {
      follow_symlinks(given, option);        // whose links and stream: refused if planted
      t.kind = OutputTarget::Kind::kStream;  // /dev/null, /dev/stdout, a FIFO: write through
      return t;
    }
    t.path = follow_symlinks(given, option);
    return t;
  }
  if (errno == ELOOP)
    throw UsageError(fmt::format("{} {}: too many levels of symbolic links", option, given));
  t.path = follow_symlinks(given, option);  // a new file, possibly behind a dangling symlink
  const fs::path parent =
      fs::path(t.path).parent_path().empty() ? fs::path(".") : fs::path(t.path).parent_path();
  std::error_code ec;
  const fs::path dir = fs::canonical(parent, ec);
  if (ec || !fs::is_directory(dir)) {
    throw UsageError(fmt::format("cannot write {} {}: directory {} does not exist", option, given,
                                 parent.string()));
  }
  t.identity = (dir / fs::path(t.path).filename()).string();
  return t;
}

void probe_new_file(const OutputTarget& target) {
  const fs::path p(target.path);
  std::string probe =
      (p.parent_path().empty() ? fs::path(".") : p.parent_path()) / ".parbench-probe-XXXXXX";
  const int fd = ::mkstemp(probe.data());
  if (fd < 0) {
    throw UsageError(
        fmt::format("cannot write {} {}: {}", target.option, target.given, std::strerror(errno)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void write_all(int fd, std::string_view text, const std::string& what) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "writing " + what);
    done += static_cast<std::size_t>(n);
  }
}

void refuse_same_output(const OutputTarget& a, const OutputTarget& b) {
  if (a.identity != b.identity) return;
  throw UsageError(fmt::format("{} {} and {} {} name the same output; give each its own", a.option,
                               a.given, b.option, b.given));
}

}  // namespace parbench
