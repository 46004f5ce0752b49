#include "harness/reporters/python_table.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "harness/records/errors.hpp"
#include "harness/records/statistics.hpp"
#include "harness/reporters/params.hpp"

namespace parbench {
namespace {

const char* const kPythonBackends[] = {"python", "python-pure"};

bool is_python(const std::string& backend) {
  return std::find(std::begin(kPythonBackends), std::end(kPythonBackends), backend) !=
         std::end(kPythonBackends);
}

// A configuration's median wall time: over its valid repetitions, or, where none was valid, over
// those that ran (marked INVALID, as the fill table does: the time it took is still a finding).
struct Median {
  std::optional<double> seconds;  // none: no repetition ran (failed)
  bool valid = true;
};

Median median_of(const std::vector<CsvRow>& rows) {
  std::vector<double> valid, ran;
  for (const auto& row : rows) {
    const RunRecord& r = row.record;
    if (r.rep <= 0 || r.wall_s <= 0.0) continue;  // a warm-up, or a failure that measured nothing
    (r.valid ? valid : ran).push_back(r.wall_s);
  }
  if (!valid.empty()) return {summarize(valid).median, ran.empty()};
  if (!ran.empty()) return {summarize(ran).median, false};
  return {std::nullopt, false};
}

// The workload on its host (serial's key) and the experiment (processes' and python's key).
std::string workload_key(const CsvRow& row) {
  const RunRecord& r = row.record;
  return fmt::format("{}|{}|{}|{}|{}", row.host, r.kernel, r.size, r.params, r.ipc);
}
std::string experiment_key(const CsvRow& row) {
  const RunRecord& r = row.record;
  return fmt::format("{}|{}|{}|{}", workload_key(row), r.schedule, r.chunk, workers_text(r));
}

// "337.2 ms", "1.75 s", "85 us".
std::string duration(double s) {
  if (s >= 1.0) return fmt::format("{:.2f} s", s);
  if (s >= 1e-4) return fmt::format("{:.1f} ms", s * 1e3);
  return fmt::format("{:.0f} us", s * 1e6);
}

std::string cell(const std::optional<Median>& m) {
  if (!m) return "-";
  if (!m->seconds) return "failed";
  return duration(*m->seconds) + (m->valid ? "" : "!");
}

std::string ratio(const std::optional<Median>& python, const std::optional<Median>& native) {
  if (!python || !native || !python->seconds || !native->seconds || *native->seconds <= 0.0)
    return "-";
  const double x = *python->seconds / *native->seconds;
  return x >= 10.0 ? fmt::format("{:.0f}x", x) : fmt::format("{:.1f}x", x);
}

// Of each kernel's params, those whose values differ between its experiments: what sets one row
// apart (the seed, the fill, the algorithm), without the keys every row shares.
std::map<std::string, std::set<std::string>> distinguishing_keys(
    const std::vector<const CsvRow*>& experiments) {
  std::map<std::string, std::map<std::string, std::set<std::string>>> values;
  for (const CsvRow* row : experiments) {
    for (const auto& [key, value] : param_pairs(row->record.params))
      values[row->record.kernel][key].insert(value);
  }
  std::map<std::string, std::set<std::string>> keys;
  for (const auto& [kernel, by_key] : values) {
    for (const auto& [key, seen] : by_key)
      if (seen.size() > 1) keys[kernel].insert(key);
  }
  return keys;
}

std::string params_text(const RunRecord& r, const std::set<std::string>& keys) {
  std::string text;
  for (const auto& [key, value] : param_pairs(r.params)) {
    if (!keys.contains(key)) continue;
    text += (text.empty() ? "" : ";") + key + (value.empty() ? "" : "=" + value);
  }
  return text.empty() ? "-" : text;
}

}  // namespace

void print_python_table(std::ostream& out, const std::vector<std::vector<CsvRow>>& configurations) {
  std::map<std::string, Median> serial;                         // by workload
  std::map<std::string, Median> processes;                      // by experiment
  std::map<std::string, std::map<std::string, Median>> python;  // by experiment, then backend
  std::vector<const CsvRow*> experiments;                       // the first row of each, in order
  for (const auto& rows : configurations) {
    const CsvRow& first = rows.front();
    const std::string& backend = first.record.backend;
    if (backend == "serial") serial.emplace(workload_key(first), median_of(rows));
    if (backend == "processes") processes.emplace(experiment_key(first), median_of(rows));
    if (!is_python(backend)) continue;
    const std::string key = experiment_key(first);
    if (!python.contains(key)) experiments.push_back(&first);
    python[key].emplace(backend, median_of(rows));
  }
  if (experiments.empty())
    throw UsageError("no rows of the python backends (python, python-pure) in the given files");

  const auto keys = distinguishing_keys(experiments);
  const auto find = [](const auto& map, const std::string& key) -> std::optional<Median> {
    const auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
  };
  fmt::print(out,
             "The python backends beside the native ones: median wall time of each experiment's "
             "repetitions;\nx: the Python median over processes' (the same experiment forked "
             "natively); !: not every\nrepetition was valid, the median is of those that ran "
             "(the CSV's error column says why)\n");
  // python-pure's columns only where it ran: the table stays within 100 columns otherwise.
  const bool any_pure = std::any_of(python.begin(), python.end(),
                                    [](const auto& p) { return p.second.contains("python-pure"); });
  const auto line = [&out, any_pure](const std::string& kernel, const std::string& params,
                                     const std::string& ipc, const std::string& schedule,
                                     const std::string& workers, const std::string& serial_cell,
                                     const std::string& processes_cell,
                                     const std::string& python_cell, const std::string& x,
                                     const std::string& pure_cell, const std::string& pure_x) {
    fmt::print(out, "{:<13} {:<25} {:<9} {:<8} {:>2} {:>9} {:>9} {:>9} {:>5}", kernel, params, ipc,
               schedule, workers, serial_cell, processes_cell, python_cell, x);
    if (any_pure) fmt::print(out, " {:>9} {:>5}", pure_cell, pure_x);
    fmt::print(out, "\n");
  };
  std::string host;
  for (const CsvRow* row : experiments) {
    const RunRecord& r = row->record;
    if (row->host != host) {
      host = row->host;
      fmt::print(out, "\nhost {}\n", host);
      line("kernel (size)", "params", "ipc", "schedule", "W", "serial", "processes", "python", "x",
           "pure", "x");
    }
    const std::string key = experiment_key(*row);
    const auto native = find(processes, key);
    const auto numpy = find(python.at(key), "python");
    const auto pure = find(python.at(key), "python-pure");
    const auto kernel_keys = keys.find(r.kernel);
    line(fmt::format("{} {:.3g}", r.kernel, double(r.size)),
         params_text(r, kernel_keys == keys.end() ? std::set<std::string>{} : kernel_keys->second),
         r.ipc, r.schedule, workers_text(r), cell(find(serial, workload_key(*row))), cell(native),
         cell(numpy), ratio(numpy, native), cell(pure), ratio(pure, native));
  }
}

}  // namespace parbench
