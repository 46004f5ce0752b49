// parbench report verify FILE...: the book's verify table from CSV files (of any machine), medians
// of the rows of each configuration.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>

#include "harness/cli/commands.hpp"
#include "harness/errors.hpp"
#include "harness/reporters/csv_format.hpp"
#include "harness/reporters/verify_table.hpp"
#include "harness/statistics.hpp"

namespace parbench::cli {

void setup_report_command(CLI::App& app, int& exit_code) {
  auto* report = app.add_subcommand("report", "Tables from CSV files");
  auto* verify = report->add_subcommand(
      "verify", "The book's verify table: variants x numbers, median seconds");
  auto files = std::make_shared<std::vector<std::string>>();
  verify->add_option("files", *files, "CSV files written by parbench")
      ->required()
      ->check(CLI::ExistingFile);
  report->require_subcommand(1);
  verify->callback([files, &exit_code] {
    // By everything that names a configuration, in the order the rows were written: numbers and
    // variants keep the order of the run (the book's: composites before primes).
    // Configurations differ in host, backend, workers, variant, schedule and params (the number
    // and the check interval among them).
    std::vector<std::string> order;
    std::map<std::string, std::vector<CsvRow>> configs;
    for (const auto& path : *files) {
      std::vector<CsvRow> rows;
      try {
        rows = read_csv_rows(path);
      } catch (const std::exception& e) {
        throw UsageError(e.what());
      }
      for (auto& row : rows) {
        const RunRecord& r = row.record;
        if (r.kernel != "verify") continue;
        const std::string key = fmt::format("{}|{}|{}|{}|{}|{}", row.host, r.backend, r.workers,
                                            r.ipc, r.params, r.schedule);
        if (!configs.contains(key)) order.push_back(key);
        configs[key].push_back(std::move(row));
      }
    }
    std::vector<VerifyCell> cells;
    for (const auto& key : order) {
      const auto& rows = configs[key];
      std::vector<double> times;
      bool valid = true;
      for (const auto& row : rows) {
        if (row.record.valid) times.push_back(row.record.wall_s);
        valid = valid && row.record.valid;
      }
      cells.push_back(
          verify_cell(rows.front().record, rows.front().host, summarize(times).median, valid));
    }
    if (cells.empty()) throw UsageError("no verify rows in the given files");
    print_verify_table(std::cout, cells);
    exit_code = 0;
  });
}

}  // namespace parbench::cli
