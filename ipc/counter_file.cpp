#include "ipc/counter_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>

namespace parbench::ipc {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::system_error(errno, std::generic_category(), what);
}

// The number the file holds; nullopt when its text is not exactly one number and a newline.
std::optional<std::uint64_t> parse_count(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A write lock over the whole file; false when `wait` is off and another process holds it.
bool record_lock(int fd, bool wait) {
  struct flock whole {};
  whole.l_type = F_WRLCK;
  whole.l_whence = SEEK_SET;  // l_start 0, l_len 0: from the start to any end
  for (;;) {
    if (::fcntl(fd, wait ? F_SETLKW : F_SETLK, &whole) == 0) return true;
    if (errno == EINTR) continue;
    if (!wait && (errno == EAGAIN || errno == EACCES)) return false;
    check(false, "lock the counter file (fcntl)");
  }
}

void take(int fd, FileLock lock) {
  switch (lock) {
    case FileLock::kNone:
      return;
    case FileLock::kFlock:
      while (::flock(fd, LOCK_EX) != 0) check(errno == EINTR, "flock the counter file");
      return;
    case FileLock::kFcntl:
      record_lock(fd, true);
      return;
    case FileLock::kPoll:
      // fasteners: sleep(min(attempts x 10 ms, 100 ms)) after each failed try.
      for (int attempts = 1; !record_lock(fd, false); ++attempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempts * 10, 100)));
      }
      return;
  }
}

}  // namespace

FileCounter::Held::Held(const std::string& path, FileLock lock)
    : fd_(::open(path.c_str(), O_RDWR | O_CLOEXEC)) {
  check(fd_ >= 0, "open the counter file");
  try {
    take(fd_, lock);
  } catch (...) {
    ::close(fd_);
    throw;
  }
}

FileCounter::Held::~Held() { ::close(fd_); }  // releases flock and fcntl locks alike

FileCounter::FileCounter(FileLock lock, bool truncate)
    : lock_(lock),
      truncate_(truncate),
      path_(dir_.file("counter")),
      segment_(4096),
      unparsable_(segment_.construct_array<std::atomic<std::uint64_t>>("unparsable", 1)) {
  segment_.unlink();
  const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  check(fd >= 0, "create the counter file");
  ::close(fd);
  reset();
}

std::uint64_t FileCounter::read(const Held& held) {
  char buffer[64];
  const ssize_t n = ::pread(held.fd(), buffer, sizeof(buffer), 0);
  check(n >= 0, "read the counter file");
  const auto value = parse_count({buffer, static_cast<std::size_t>(n)});
  if (!value) unparsable_->fetch_add(1);
  return value.value_or(0);
}

// The new text over the old, then the file cut to its length. Never truncated to 0 first, as the
// book's open(name, "w") does: on ext4 a file truncated to 0 and rewritten starts its writeback at
// close (auto_da_alloc), about 0.2 ms per increment on this machine, which would bury the cost of
// the lock under the disk's. Two unlocked writers still interleave ("99\n" over "100\n" leaves
// "99\n\n"), so the negative control's garbled reads remain.
void FileCounter::write(const Held& held, std::uint64_t value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer) - 1, value);
  *end++ = '\n';
  const auto size = static_cast<std::size_t>(end - buffer);
  if (truncate_) check(::ftruncate(held.fd(), 0) == 0, "truncate the counter file");
  check(::pwrite(held.fd(), buffer, size, 0) == static_cast<ssize_t>(size),
        "write the counter file");
  check(::ftruncate(held.fd(), static_cast<off_t>(size)) == 0, "cut the counter file");
}

void FileCounter::reset() {
  ReadModifyWriteCounter::reset();
  unparsable_->store(0);
}

}  // namespace parbench::ipc
