// parbench report summary|card|python|verify|count|fill FILE...: from CSV files (of any machine),
// the run's summary table per host, the python backends beside the native ones, and the book's
// tables; medians of the rows of each configuration.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/records/aggregate.hpp"
#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/card.hpp"
#include "harness/reporters/console_reporter.hpp"
#include "harness/reporters/python_table.hpp"
#include "harness/workloads/kernel_spec.hpp"

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

// The CSV files every report subcommand reads: one positional option, each file checked to exist.
std::shared_ptr<std::vector<std::string>> add_csv_files(CLI::App* command) {
  auto files = std::make_shared<std::vector<std::string>>();
  command->add_option("files", *files, "CSV files written by parbench")
      ->required()
      ->check(CLI::ExistingFile);
  return files;
}

// `report NAME FILE...`: the kernel NAME's own table (KernelSpec::table) from CSV files.
void add_table(CLI::App& report, const std::string& name, const KernelTable& table,
               int& exit_code) {
  auto* command = report.add_subcommand(name, table.help);
  auto files = add_csv_files(command);
  command->callback([files, name, from_rows = table.from_rows, &exit_code] {
    from_rows(std::cout, configurations(*files, name));
    exit_code = 0;
  });
}

}  // namespace

void setup_report_command(CLI::App& app, int& exit_code) {
  auto* report = app.add_subcommand("report", "Tables from CSV files");
  auto* summary = report->add_subcommand(
      "summary", "The summary table `run` prints, one per host, from CSV files of any machine");
  auto summary_files = add_csv_files(summary);
  summary->callback([summary_files, &exit_code] {
    print_summary(configurations(*summary_files, ""));
    exit_code = 0;
  });
  auto* card = report->add_subcommand(
      "card", "One screen of what parallelism costs on each host of the CSV files, side by side");
  auto card_files = add_csv_files(card);
  auto card_as_json = std::make_shared<bool>(false);
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
  auto* python = report->add_subcommand(
      "python", "Each experiment's python and python-pure medians beside serial's and processes'");
  auto python_files = add_csv_files(python);
  python->callback([python_files, &exit_code] {
    print_python_table(std::cout, configurations(*python_files, ""));
    exit_code = 0;
  });
  for (const auto& spec : make_kernel_specs()) {
    if (const auto table = spec->table()) add_table(*report, spec->name(), *table, exit_code);
  }
  report->require_subcommand(1);
}

}  // namespace parbench::cli
