// `parbench report python FILE...`: the book's question about itself. For every experiment the
// python backends ran (kernel, size, params, ipc, schedule, chunk, workers, on one host), the
// medians of serial (the workload's), of processes (the same experiment, natively forked) and of
// python and python-pure, with each Python median's ratio to processes'.
#pragma once

#include <ostream>
#include <vector>

#include "harness/records/csv_format.hpp"

namespace parbench {

// `configurations`: the rows of each configuration, as `parbench report` groups them. Throws
// UsageError where none is of a python backend.
void print_python_table(std::ostream& out, const std::vector<std::vector<CsvRow>>& configurations);

}  // namespace parbench
