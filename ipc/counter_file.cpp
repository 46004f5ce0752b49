#include "ipc/counter_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>

namespace parbench::ipc {
namespace {

// The descriptor of one open, closed however the increment ends.
struct OpenFile {
  int fd;
  explicit OpenFile(const std::string& path) : fd(::open(path.c_str(), O_RDWR | O_CLOEXEC)) {
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path);
  }
  ~OpenFile() { ::close(fd); }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
};

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

std::uint64_t read_count(int fd, std::atomic<std::uint64_t>& unparsable) {
  char buffer[64];
  const ssize_t n = ::pread(fd, buffer, sizeof(buffer), 0);
  check(n >= 0, "read the counter file");
  const auto value = parse_count({buffer, static_cast<std::size_t>(n)});
  if (!value) unparsable.fetch_add(1);
  return value.value_or(0);
}

void write_count(int fd, std::uint64_t value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer) - 1, value);
  *end++ = '\n';
  const auto size = static_cast<std::size_t>(end - buffer);
  check(::ftruncate(fd, 0) == 0, "truncate the counter file");
  check(::pwrite(fd, buffer, size, 0) == static_cast<ssize_t>(size), "write the counter file");
}

}  // namespace

CounterFile::CounterFile()
    : path_(dir_.file("counter")),
      segment_(4096),
      unparsable_(segment_.construct_array<std::atomic<std::uint64_t>>("unparsable", 1)) {
  segment_.unlink();
  const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  check(fd >= 0, "create the counter file");
  ::close(fd);
  write(0);
}

void CounterFile::add(std::uint64_t k, bool locked) {
  const OpenFile file(path_);
  if (locked) check(::flock(file.fd, LOCK_EX) == 0, "flock the counter file");
  write_count(file.fd, read_count(file.fd, *unparsable_) + k);
  // Closing the descriptor releases the lock.
}

std::uint64_t CounterFile::read() {
  const OpenFile file(path_);
  return read_count(file.fd, *unparsable_);
}

void CounterFile::write(std::uint64_t value) {
  const OpenFile file(path_);
  write_count(file.fd, value);
}

}  // namespace parbench::ipc
