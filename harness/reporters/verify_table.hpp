// The book's verify table: stop-flag variants as rows, the numbers as columns, median seconds in
// the cells, with the serial time above them; one table per host, backend and worker count. A
// variant checked at several intervals (--check-every) gets one row per interval.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/records/csv_format.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

struct VerifyCell {
  std::string host;
  std::string backend;
  int workers = 1;
  bool reference = false;  // the reference backend's cell (serial)
  bool flagless = false;   // ipc none: the serial row's time, whatever the flags cost
  // The ipc variant and its check interval: "shm K=1000", "redis auto"; none is the book's "less
  // naive" pool with the serial pre-check, "naive" without.
  std::string variant;
  std::string number;  // n, as text
  double median_s = 0.0;
  bool valid = true;
};

void print_verify_table(std::ostream& out, const std::vector<VerifyCell>& cells);

// Whether a backend is the reference, whose times stand above the table as the serial ones. Told
// by the kernel (harness/workloads/verify_spec.cpp), so that the table asks no registry.
using IsReference = bool (*)(const std::string& backend);

// Collects the verify configurations of a run and prints the table at the end
// (harness/reporters/table_reporter.hpp).
std::unique_ptr<Reporter> make_verify_table(std::ostream& out, IsReference is_reference);

// The cell a result belongs in; the number and the interval come from the row's params
// ("n=...;check_every=...;...").
VerifyCell verify_cell(const RunRecord& first, const std::string& host, double median_s, bool valid,
                       IsReference is_reference);
// The cell of one configuration's rows read back from CSV (`parbench report verify`): the median
// over its valid rows.
VerifyCell verify_cell_of(const std::vector<CsvRow>& rows, IsReference is_reference);

}  // namespace parbench
