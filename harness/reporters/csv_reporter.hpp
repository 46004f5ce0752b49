#pragma once

#include <string>

#include "harness/reporters/output_target.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

// One row per timed repetition. A file is appended to, with the header only in a new file. Each
// configuration's rows go out in one write() under flock(), so appends from several parbench
// processes never interleave and an interrupted run leaves only whole rows. Standard output, a
// device or a FIFO get the header first and then the rows.
class CsvReporter final : public Reporter {
 public:
  // Checks the target at once, so that an unwritable path is reported before anything runs (throws
  // UsageError): an existing file must carry this schema's header; a new one is made with the first
  // rows. A failed append (a full disk) leaves the file as it was and throws.
  explicit CsvReporter(const OutputTarget& target);
  explicit CsvReporter(const std::string& path);  // a file parbench chose itself (mpi launcher)
  ~CsvReporter() override;
  CsvReporter(const CsvReporter&) = delete;
  CsvReporter& operator=(const CsvReporter&) = delete;
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;

 private:
  void open_file();
  void append(const std::string& rows);
  OutputTarget target_;
  int fd_ = -1;           // for a new file: -1 until its first rows
  bool created_ = false;  // this reporter made the file
  RunContext context_;
};

}  // namespace parbench
