// The book's count table: for every host, backend and count setting (increments per worker, batch,
// think time, lock scope), one line per counter variant and worker count with the count reached
// against the expected one, the median time and the nanoseconds per increment (the median time
// over every increment of every worker).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "harness/reporters/reporter.hpp"

namespace parbench {

struct CountCell {
  std::string host;
  std::string backend;
  std::string params;          // increments=...;batch=...;think_ns=...;lock_scope=...
  std::string variant;         // the ipc column
  std::string workers;         // as workers_text writes it: "4", "2x8"
  std::uint64_t reached = 0;   // the median repetition's count
  std::uint64_t expected = 0;  // what the workers added
  double median_s = 0.0;
  bool valid = true;
  std::string error;
};

// The cell of one configuration's repetitions (valid or not): the rows' median count and time.
CountCell count_cell(const std::vector<RunRecord>& reps, const std::string& host);
void print_count_table(std::ostream& out, const std::vector<CountCell>& cells);

class CountTableReporter final : public Reporter {
 public:
  explicit CountTableReporter(std::ostream& out) : out_(out) {}
  void begin(const RunContext& context) override { host_ = context.machine.host; }
  void report(const ConfigResult& result) override;
  void end() override { print_count_table(out_, cells_); }

 private:
  std::ostream& out_;
  std::string host_;
  std::vector<CountCell> cells_;
};

}  // namespace parbench
