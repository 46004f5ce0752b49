// The book's count table: for every host, backend and count setting (increments per worker, batch,
// think time, lock scope), one line per counter variant and worker count with the count reached
// against the expected one, the median time and the nanoseconds per increment (the median time
// over every increment of every worker).
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/reporters/reporter.hpp"

namespace parbench {

struct CountCell {
  std::string host;
  std::string backend;
  std::string params;             // increments=...;batch=...;think_ns=...;lock_scope=...
  std::string variant;            // the ipc column
  std::string workers;            // as workers_text writes it: "4", "2x8"
  std::uint64_t reached = 0;      // the median repetition's count
  std::uint64_t reached_min = 0;  // and the fewest and most any repetition reached
  std::uint64_t reached_max = 0;
  std::uint64_t expected = 0;  // what the workers added
  bool control = false;        // a negative control: a variant with no lock, expected to lose
  double median_s = 0.0;
  bool valid = true;
  std::string error;
};

// Whether a counter variant is a negative control, labelled "(no lock)". Told by the kernel
// (harness/workloads/count_spec.cpp), so that the table asks no registry.
using IsControl = bool (*)(const std::string& variant);

// The cell of one configuration's repetitions (valid or not): the rows' median count and time.
CountCell count_cell(const std::vector<RunRecord>& reps, const std::string& host,
                     IsControl is_control);
void print_count_table(std::ostream& out, const std::vector<CountCell>& cells);

// The table after a run's rows (harness/reporters/table_reporter.hpp).
std::unique_ptr<Reporter> make_count_table(std::ostream& out, IsControl is_control);

}  // namespace parbench
