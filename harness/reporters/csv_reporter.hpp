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
  // Opens (creating) the file at once, so that an unwritable path is reported before anything runs;
  // throws UsageError. An existing file must carry this schema's header.
  explicit CsvReporter(const OutputTarget& target);
  explicit CsvReporter(const std::string& path);  // a file parbench chose itself (mpi launcher)
  ~CsvReporter() override;
  CsvReporter(const CsvReporter&) = delete;
  CsvReporter& operator=(const CsvReporter&) = delete;
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;

 private:
  void append(const std::string& rows);
  std::string path_;
  int fd_ = -1;
  bool appends_to_file_ = true;  // false for stdout, devices and FIFOs
  std::string created_;          // the file, when this reporter created it
  int rows_written_ = 0;
  RunContext context_;
};

}  // namespace parbench
