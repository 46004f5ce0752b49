#include "harness/reporters/csv_reporter.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"

namespace parbench {
namespace {

// The first line of an existing file, read through the descriptor we write (no second open).
std::string first_line(int fd) {
  std::string text(4096, '\0');
  const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return text.substr(0, text.find('\n'));
}

// An existing file takes rows only under this schema's header; an empty one gets it with them.
void require_header(int fd, const std::string& given) {
  const std::string header = first_line(fd);
  if (header.empty() || header + "\n" == csv_header()) return;
  throw UsageError(fmt::format(
      "CSV file {} has another header (schema version {} expected); write to a new file", given,
      kCsvSchemaVersion));
}

// Holds flock() for one append and lets it go on every way out.
class FileLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {
    if (::flock(fd_, LOCK_EX) != 0)
      throw std::system_error(errno, std::generic_category(), "flock");
  }
  ~FileLock() { ::flock(fd_, LOCK_UN); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

}  // namespace

CsvReporter::CsvReporter(const OutputTarget& target) : target_(target) {
  if (target.kind == OutputTarget::Kind::kStdout) {
    fd_ = STDOUT_FILENO;
    return;
  }
  if (target.kind == OutputTarget::Kind::kStream) {
    fd_ = ::open(target.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  } else {
    // An existing file is checked now; a new one is only made with the first rows, so that a run
    // killed outright (kill -9) before them leaves no empty file behind. Whether it can be made
    // is tried now, so that an unwritable path costs nothing.
    fd_ = ::open(target.path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    if (fd_ < 0 && errno == ENOENT) {
      probe_new_file(target);
      return;
    }
  }
  if (fd_ < 0) {
    throw UsageError(
        fmt::format("cannot write CSV file {}: {}", target.given, std::strerror(errno)));
  }
  if (target.kind != OutputTarget::Kind::kFile) return;
  try {
    require_header(fd_, target.given);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
}

CsvReporter::CsvReporter(const std::string& path)
    : CsvReporter(resolve_output(path, "--records-out")) {}

CsvReporter::~CsvReporter() {
  if (fd_ > STDOUT_FILENO) ::close(fd_);
}

void CsvReporter::begin(const RunContext& context) {
  context_ = context;
  if (target_.kind != OutputTarget::Kind::kFile) write_all(fd_, csv_header(), target_.given);
}

void CsvReporter::report(const ConfigResult& result) {
  std::string rows;
  for (const auto& record : result.reps) rows += csv_row(record, context_);
  append(rows);
}

// The file, made now if it is new. Several parbench processes may append to one file: whoever
// makes it first, the others open it, and the header goes in with the first rows (under the lock).
void CsvReporter::open_file() {
  if (fd_ >= 0) return;
  fd_ = ::open(target_.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
  created_ = fd_ >= 0;
  if (fd_ < 0 && errno == EEXIST)
    fd_ = ::open(target_.path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "cannot write " + target_.given);
  require_header(fd_, target_.given);
}

void CsvReporter::append(const std::string& rows) {
  if (target_.kind != OutputTarget::Kind::kFile) {
    write_all(fd_, rows, target_.given);
    return;
  }
  open_file();
  const FileLock lock(fd_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) throw std::system_error(errno, std::generic_category(), "fstat");
  std::string text = rows;
  if (st.st_size == 0) {
    text = csv_header() + rows;
  } else {
    // A last line without its line break (an editor, a killed writer that was not parbench) would
    // glue our first row onto it: end that line first, and say so.
    char last = '\n';
    if (::pread(fd_, &last, 1, st.st_size - 1) == 1 && last != '\n') {
      fmt::print(stderr,
                 "parbench: warning: {} did not end with a line break; added one before the new "
                 "rows\n",
                 target_.given);
      text = "\n" + rows;
    }
  }
  try {
    write_all(fd_, text, target_.given);
  } catch (const std::system_error& e) {
    // A full disk (or quota) must not leave half a row: cut the file back to what it was, under
    // the same lock, so that readers and later appends find only whole rows; a file this run made
    // for these rows goes again.
    const bool restored = ::ftruncate(fd_, st.st_size) == 0;
    if (restored && st.st_size == 0 && created_) ::unlink(target_.path.c_str());
    throw std::runtime_error(
        fmt::format("cannot append to {}: {}; {}", target_.given, std::strerror(e.code().value()),
                    restored ? "the file is as it was before" : "it may now end in a partial row"));
  }
}

}  // namespace parbench
