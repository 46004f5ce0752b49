#include "harness/reporters/csv_reporter.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "harness/errors.hpp"
#include "harness/reporters/csv_format.hpp"
#include "ipc/cleanup.hpp"

namespace parbench {
namespace {

// The first line of an existing file, read through the descriptor we write (no second open).
std::string first_line(int fd) {
  std::string text(4096, '\0');
  const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
  text.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return text.substr(0, text.find('\n'));
}

}  // namespace

CsvReporter::CsvReporter(const OutputTarget& target) : path_(target.given) {
  if (target.kind == OutputTarget::Kind::kStdout) {
    fd_ = STDOUT_FILENO;
    appends_to_file_ = false;
    return;
  }
  appends_to_file_ = target.kind == OutputTarget::Kind::kFile;
  // A file is also read: its header now, its last byte before each append. One this run creates
  // goes again if the run ends before its first row.
  if (appends_to_file_) {
    fd_ = ::open(target.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ >= 0) {
      created_ = target.path;
      ipc::register_path(created_, ipc::PathKind::kEmptyFile);
    } else if (errno == EEXIST) {
      fd_ = ::open(target.path.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
    }
  } else {
    fd_ = ::open(target.path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  }
  if (fd_ < 0) {
    throw UsageError(
        fmt::format("cannot write CSV file {}: {}", target.given, std::strerror(errno)));
  }
  if (!appends_to_file_) return;
  const std::string header = first_line(fd_);
  if (!header.empty() && header + "\n" != csv_header()) {
    ::close(fd_);
    fd_ = -1;
    throw UsageError(fmt::format(
        "CSV file {} has another header (schema version {} expected); write to a new file",
        target.given, kCsvSchemaVersion));
  }
}

CsvReporter::CsvReporter(const std::string& path)
    : CsvReporter(resolve_output(path, "--records-out")) {}

CsvReporter::~CsvReporter() {
  if (fd_ > STDOUT_FILENO) ::close(fd_);
  if (created_.empty()) return;
  struct stat st {};
  if (rows_written_ == 0 && ::stat(created_.c_str(), &st) == 0 && st.st_size == 0)
    ::unlink(created_.c_str());
  ipc::unregister_path(created_);
}

void CsvReporter::begin(const RunContext& context) {
  context_ = context;
  if (!appends_to_file_) write_all(fd_, csv_header(), path_);
}

void CsvReporter::report(const ConfigResult& result) {
  std::string rows;
  for (const auto& record : result.reps) rows += csv_row(record, context_);
  append(rows);
  rows_written_ += static_cast<int>(result.reps.size());
}

void CsvReporter::append(const std::string& rows) {
  if (!appends_to_file_) {
    write_all(fd_, rows, path_);
    return;
  }
  if (::flock(fd_, LOCK_EX) != 0) throw std::system_error(errno, std::generic_category(), "flock");
  struct stat st {};
  ::fstat(fd_, &st);
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
                 path_);
      text = "\n" + rows;
    }
  }
  try {
    write_all(fd_, text, path_);
  } catch (...) {
    ::flock(fd_, LOCK_UN);
    throw;
  }
  ::flock(fd_, LOCK_UN);
}

}  // namespace parbench
