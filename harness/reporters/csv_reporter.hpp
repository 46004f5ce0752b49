#pragma once

#include <memory>
#include <string>

#include "harness/reporters/reporter.hpp"

namespace parbench {

// One row per timed repetition. "-" writes to stdout; a file is appended to, with the header only
// in a new file. Each configuration's rows go out in one write() under flock(), so appends from
// several parbench processes never interleave and an interrupted run leaves only whole rows.
class CsvReporter final : public Reporter {
 public:
  // Opens (creating) the file at once, so that an unwritable path is reported before anything runs;
  // throws UsageError. An existing file must carry this schema's header.
  explicit CsvReporter(const std::string& path);
  ~CsvReporter() override;
  void begin(const RunContext& context) override;
  void report(const ConfigResult& result) override;

 private:
  void append(const std::string& rows);
  std::string path_;
  int fd_ = -1;
  bool is_stdout_ = false;
  RunContext context_;
};

}  // namespace parbench
