#include "harness/reporters/csv_reporter.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include "harness/errors.hpp"
#include "harness/reporters/csv_format.hpp"

namespace parbench {
namespace {

void write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "writing CSV");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

CsvReporter::CsvReporter(const std::string& path) : path_(path), is_stdout_(path == "-") {
  if (is_stdout_) {
    fd_ = STDOUT_FILENO;
    return;
  }
  fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw UsageError("cannot write CSV file " + path + ": " + std::strerror(errno));
  std::ifstream existing(path);
  std::string first_line;
  if (std::getline(existing, first_line) && first_line + "\n" != csv_header()) {
    ::close(fd_);
    throw UsageError("CSV file " + path + " has another header (schema version " +
                     std::to_string(kCsvSchemaVersion) + " expected); write to a new file");
  }
}

CsvReporter::~CsvReporter() {
  if (!is_stdout_ && fd_ >= 0) ::close(fd_);
}

void CsvReporter::begin(const RunContext& context) {
  context_ = context;
  if (is_stdout_) append(csv_header());
}

void CsvReporter::report(const ConfigResult& result) {
  std::string rows;
  for (const auto& record : result.reps) rows += csv_row(record, context_);
  append(rows);
}

void CsvReporter::append(const std::string& rows) {
  if (is_stdout_) {
    write_all(fd_, rows);
    return;
  }
  if (::flock(fd_, LOCK_EX) != 0) throw std::system_error(errno, std::generic_category(), "flock");
  struct stat st {};
  ::fstat(fd_, &st);
  try {
    write_all(fd_, st.st_size == 0 ? csv_header() + rows : rows);
  } catch (...) {
    ::flock(fd_, LOCK_UN);
    throw;
  }
  ::flock(fd_, LOCK_UN);
}

}  // namespace parbench
