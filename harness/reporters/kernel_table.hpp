// A kernel's own table (verify, count, fill), registered once, with the kernel
// (KernelSpec::table), and printed by both commands: by `parbench run` after the rows, from the
// run's results, and by `parbench report <kernel>` from CSV files, from the rows read back.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/records/csv_format.hpp"
#include "harness/records/record.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

struct KernelTable {
  std::string help;  // of `parbench report <kernel>`
  // The table of a run's configurations (harness/reporters/table_reporter.hpp).
  std::unique_ptr<Reporter> (*after_run)(std::ostream& out);
  // The same table from CSV rows, one list per configuration of the kernel.
  void (*from_rows)(std::ostream& out, const std::vector<std::vector<CsvRow>>& configurations);
};

// from_rows for a table of cells made per configuration from its rows (CellOf) and laid out by
// Print.
template <auto CellOf, auto Print>
void table_from_rows(std::ostream& out, const std::vector<std::vector<CsvRow>>& configurations) {
  std::vector<decltype(CellOf(configurations.front()))> cells;
  for (const auto& rows : configurations) cells.push_back(CellOf(rows));
  Print(out, cells);
}

// The CellOf of a table whose cells are made from the repetitions (count_cell, fill_cell).
template <auto CellOfReps>
auto cell_of_reps(const std::vector<CsvRow>& rows) {
  std::vector<RunRecord> reps;
  for (const auto& row : rows) reps.push_back(row.record);
  return CellOfReps(reps, rows.front().host);
}

}  // namespace parbench
