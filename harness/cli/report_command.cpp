// parbench report verify|count FILE...: the book's tables from CSV files (of any machine), medians
// of the rows of each configuration.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>

#include "harness/cli/commands.hpp"
#include "harness/errors.hpp"
#include "harness/reporters/count_table.hpp"
#include "harness/reporters/csv_format.hpp"
#include "harness/reporters/verify_table.hpp"
#include "harness/statistics.hpp"

namespace parbench::cli {
namespace {

// The rows of `kernel` in `files`, one list per configuration (host, backend, workers, variant,
// schedule and params), in the order the rows were written: numbers and variants keep the order of
// the run (the book's: composites before primes).
std::vector<std::vector<CsvRow>> configurations(const std::vector<std::string>& files,
                                                const std::string& kernel) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<CsvRow>> configs;
  for (const auto& path : files) {
    std::vector<CsvRow> rows;
    try {
      rows = read_csv_rows(path);
    } catch (const std::exception& e) {
      throw UsageError(e.what());
    }
    for (auto& row : rows) {
      const RunRecord& r = row.record;
      if (r.kernel != kernel) continue;
      const std::string key = fmt::format("{}|{}|{}|{}|{}|{}", row.host, r.backend, workers_text(r),
                                          r.ipc, r.params, r.schedule);
      if (!configs.contains(key)) order.push_back(key);
      configs[key].push_back(std::move(row));
    }
  }
  std::vector<std::vector<CsvRow>> list;
  for (const auto& key : order) list.push_back(std::move(configs[key]));
  if (list.empty()) throw UsageError(fmt::format("no {} rows in the given files", kernel));
  return list;
}

VerifyCell verify_cell_of(const std::vector<CsvRow>& rows) {
  std::vector<double> times;
  bool valid = true;
  for (const auto& row : rows) {
    if (row.record.valid) times.push_back(row.record.wall_s);
    valid = valid && row.record.valid;
  }
  return verify_cell(rows.front().record, rows.front().host, summarize(times).median, valid);
}

CountCell count_cell_of(const std::vector<CsvRow>& rows) {
  std::vector<RunRecord> reps;
  for (const auto& row : rows) reps.push_back(row.record);
  return count_cell(reps, rows.front().host);
}

// `report NAME FILE...`, printing `print(cells)` of the cells `cell_of` makes per configuration.
template <typename CellOf, typename Print>
void add_table(CLI::App& report, const char* name, const char* help, CellOf cell_of, Print print,
               int& exit_code) {
  auto* table = report.add_subcommand(name, help);
  auto files = std::make_shared<std::vector<std::string>>();
  table->add_option("files", *files, "CSV files written by parbench")
      ->required()
      ->check(CLI::ExistingFile);
  table->callback([files, name, cell_of, print, &exit_code] {
    std::vector<decltype(cell_of({}))> cells;
    for (const auto& rows : configurations(*files, name)) cells.push_back(cell_of(rows));
    print(std::cout, cells);
    exit_code = 0;
  });
}

}  // namespace

void setup_report_command(CLI::App& app, int& exit_code) {
  auto* report = app.add_subcommand("report", "Tables from CSV files");
  add_table(*report, "verify", "The book's verify table: variants x numbers, median seconds",
            verify_cell_of, print_verify_table, exit_code);
  add_table(*report, "count",
            "The book's count table: counter variants x workers, count reached / expected, "
            "median seconds, ns per increment",
            count_cell_of, print_count_table, exit_code);
  report->require_subcommand(1);
}

}  // namespace parbench::cli
