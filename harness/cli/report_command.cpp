// parbench report summary|card|verify|count|fill FILE...: from CSV files (of any machine), the
// run's summary table per host, and the book's tables; medians of the rows of each configuration.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "harness/aggregate.hpp"
#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/errors.hpp"
#include "harness/reporters/card.hpp"
#include "harness/reporters/console_reporter.hpp"
#include "harness/reporters/count_table.hpp"
#include "harness/reporters/csv_format.hpp"
#include "harness/reporters/fill_table.hpp"
#include "harness/reporters/verify_table.hpp"
#include "harness/statistics.hpp"

namespace parbench::cli {
namespace {

// The rows of `kernel` (empty: of every kernel) in `files`, one list per configuration (host,
// backend, workers, variant, schedule and params), in the order the rows were written: numbers and
// variants keep the order of the run (the book's: composites before primes). A line that cannot be
// a row parbench wrote is left out and said on stderr, FILE:LINE: why; the others are used.
std::vector<std::vector<CsvRow>> configurations(const std::vector<std::string>& files,
                                                const std::string& kernel) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<CsvRow>> configs;
  std::size_t left_out = 0;
  for (const auto& path : files) {
    CsvRead read;
    try {
      read = read_csv_file(path);
    } catch (const std::exception& e) {
      throw UsageError(e.what());
    }
    for (const auto& problem : read.problems) fmt::print(stderr, "{}\n", problem);
    left_out += read.problems.size();
    for (auto& row : read.rows) {
      const RunRecord& r = row.record;
      if (!kernel.empty() && r.kernel != kernel) continue;
      const std::string key =
          fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}", row.host, r.kernel, r.size, r.backend,
                      workers_text(r), r.ipc, r.params, r.schedule, r.chunk);
      if (!configs.contains(key)) order.push_back(key);
      configs[key].push_back(std::move(row));
    }
  }
  std::vector<std::vector<CsvRow>> list;
  for (const auto& key : order) list.push_back(std::move(configs[key]));
  if (list.empty()) {
    const std::string rows = kernel.empty() ? "rows" : kernel + " rows";
    throw UsageError(left_out == 0 ? fmt::format("no {} in the given files", rows)
                                   : fmt::format("no usable {} in the given files (the lines "
                                                 "above were left out)",
                                                 rows));
  }
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

// The cell of one configuration's rows, for a table that makes its cells from the repetitions
// (count_cell, fill_cell).
template <auto CellOfReps>
auto cell_of_reps(const std::vector<CsvRow>& rows) {
  std::vector<RunRecord> reps;
  for (const auto& row : rows) reps.push_back(row.record);
  return CellOfReps(reps, rows.front().host);
}

// The workload a row measured, on its host: what a baseline belongs to.
std::string workload_of(const CsvRow& row) {
  const RunRecord& r = row.record;
  return fmt::format("{}|{}|{}|{}|{}", row.host, r.kernel, r.size, r.params, r.ipc);
}

// The machine line of a host's table, from the columns its rows carry.
RunContext context_of(const CsvRow& row) {
  const auto text = [&](const char* name) {
    const auto it = row.run.find(name);
    return it != row.run.end() ? it->second : std::string("?");
  };
  RunContext context{text("run_id"), text("timestamp"), {}};
  context.machine.host = row.host;
  context.machine.cpu_model = text("cpu_model");
  context.machine.logical_cpus = std::atoi(text("logical_cpus").c_str());
  context.machine.os = text("os");
  context.machine.build_type = text("build_type");
  context.machine.compiler = text("compiler");
  return context;
}

// parbench report summary: the table `run` prints, one per host, each configuration's speed-up
// against the serial rows of its workload on that host, or else its backend at one worker.
void print_summary(const std::vector<std::vector<CsvRow>>& configs) {
  std::map<std::string, Baseline> serial;      // by workload
  std::map<std::string, Baseline> one_worker;  // by workload and baseline_key
  for (const auto& rows : configs) {
    std::vector<RunRecord> reps;
    for (const auto& row : rows) reps.push_back(row.record);
    const ConfigResult alone = aggregate_rows(reps, std::nullopt);
    if (alone.wall.count == 0) continue;
    const Baseline b{alone.wall.median, alone.first().setup_s};
    const auto* entry = backends::find_backend(alone.first().backend);
    if (entry != nullptr && backends::is_reference(*entry)) serial.emplace(workload_of(rows[0]), b);
    if (total_threads(alone.first()) == 1)
      one_worker.emplace(workload_of(rows[0]) + "|" + baseline_key(alone.first()), b);
  }
  std::vector<std::string> hosts;
  for (const auto& rows : configs) {
    if (std::find(hosts.begin(), hosts.end(), rows[0].host) == hosts.end())
      hosts.push_back(rows[0].host);
  }
  std::size_t ipc_width = 4;
  for (const auto& rows : configs) ipc_width = std::max(ipc_width, rows[0].record.ipc.size());
  for (const auto& host : hosts) {
    ConsoleReporter console(std::cout, ipc_width);
    bool begun = false;
    for (const auto& rows : configs) {
      if (rows[0].host != host) continue;
      if (!begun) console.begin(context_of(rows[0]));
      begun = true;
      std::vector<RunRecord> reps;
      for (const auto& row : rows) reps.push_back(row.record);
      const std::string workload = workload_of(rows[0]);
      // As the runner has them: the reference and a backend's own one-worker run have none.
      const auto* entry = backends::find_backend(reps.front().backend);
      const bool reference = entry != nullptr && backends::is_reference(*entry);
      const std::string key = workload + "|" + baseline_key(reps.front());
      std::optional<Baseline> baseline;
      if (!reference && serial.contains(workload)) {
        baseline = serial.at(workload);
      } else if (!reference && total_threads(reps.front()) != 1 && one_worker.contains(key)) {
        baseline = one_worker.at(key);
      }
      console.report(aggregate_rows(std::move(reps), baseline));
    }
    console.end();
    std::cout << "\n";
  }
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
  auto* summary = report->add_subcommand(
      "summary", "The summary table `run` prints, one per host, from CSV files of any machine");
  auto summary_files = std::make_shared<std::vector<std::string>>();
  summary->add_option("files", *summary_files, "CSV files written by parbench")
      ->required()
      ->check(CLI::ExistingFile);
  summary->callback([summary_files, &exit_code] {
    print_summary(configurations(*summary_files, ""));
    exit_code = 0;
  });
  auto* card = report->add_subcommand(
      "card", "One screen of what parallelism costs on each host of the CSV files, side by side");
  auto card_files = std::make_shared<std::vector<std::string>>();
  auto card_as_json = std::make_shared<bool>(false);
  card->add_option("files", *card_files, "CSV files written by parbench")
      ->required()
      ->check(CLI::ExistingFile);
  card->add_flag("--json", *card_as_json, "Print the figures as JSON instead");
  card->callback([card_files, card_as_json, &exit_code] {
    std::vector<CsvRow> rows;
    for (const auto& configuration : configurations(*card_files, ""))
      rows.insert(rows.end(), configuration.begin(), configuration.end());
    const Card figures = make_card(rows);
    if (*card_as_json) {
      std::cout << card_json(figures) << "\n";
    } else {
      print_card(std::cout, figures);
    }
    exit_code = 0;
  });
  add_table(*report, "verify", "The book's verify table: variants x numbers, median seconds",
            verify_cell_of, print_verify_table, exit_code);
  add_table(*report, "count",
            "The book's count table: counter variants x workers, count reached / expected, "
            "median seconds, ns per increment",
            cell_of_reps<count_cell>, print_count_table, exit_code);
  add_table(*report, "fill",
            "The fill table: shared blocks x backends x workers, GB/s against memset, page faults, "
            "PSS and RSS per worker process, bytes copied, the census",
            cell_of_reps<fill_cell>, print_fill_table, exit_code);
  report->require_subcommand(1);
}

}  // namespace parbench::cli
