// The fill table: for every host and array (size, columns, fill, first touch), one line per shared
// block, backend and worker count with the medians over the repetitions of what the book measured
// by hand: GB/s against this run's memset GB/s, page faults, each worker process's PSS and RSS,
// the bytes copied between processes, and the census (worker ids, fewest and most rows per id) or
// the duplicated random rows.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/reporters/reporter.hpp"

namespace parbench {

struct FillCell {
  std::string host;
  std::string backend;
  std::uint64_t size = 0;  // rows
  std::string params;      // cols=...;fill=...;rng=...;seed=...;first_touch=...;default=...
  std::string variant;     // the ipc column
  std::string workers;
  std::map<std::string, double> medians;  // of each measurement over the valid repetitions
  bool valid = true;
  std::string error;
};

FillCell fill_cell(const std::vector<RunRecord>& reps, const std::string& host);
void print_fill_table(std::ostream& out, const std::vector<FillCell>& cells);

// The table after a run's rows (harness/reporters/table_reporter.hpp).
std::unique_ptr<Reporter> make_fill_table(std::ostream& out);

}  // namespace parbench
