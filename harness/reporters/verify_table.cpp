#include "harness/reporters/verify_table.hpp"

#include "harness/reporters/table_reporter.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "harness/records/statistics.hpp"
#include "harness/reporters/params.hpp"

namespace parbench {
namespace {

// "K=1000", "auto" (--check-every auto, whatever interval it chose), or nothing where no flag is
// looked at.
std::string interval_label(const std::string& params) {
  const std::string k = param(params, "check_every");
  if (k.empty() || k == "none") return "";
  if (k.rfind("auto", 0) == 0) return " auto";
  return " K=" + k;
}

template <typename T>
void add_once(std::vector<T>& list, const T& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

}  // namespace

// The book's names: a pool without a flag is "naive" unless the parent first tries the small
// divisors ("less naive"; in CSVs before schema 4, the serial-first variant). A flag without the
// pre-check says so.
std::string variant_label(const RunRecord& first) {
  const std::string cutoff = param(first.params, "serial_cutoff");
  const bool prechecked = !cutoff.empty() && cutoff != "0";
  if (first.ipc == "none") return prechecked ? "less naive" : "naive";
  if (first.ipc == "serial-first") return "less naive";
  return first.ipc + interval_label(first.params) + (cutoff == "0" ? " no pre-check" : "");
}

VerifyCell verify_cell(const RunRecord& first, const std::string& host, double median_s, bool valid,
                       IsReference is_reference) {
  const std::string n = param(first.params, "n");
  return {.host = host,
          .backend = first.backend,
          .workers = first.workers,
          .reference = is_reference(first.backend),
          .flagless = first.ipc == "none" || first.ipc == "serial-first",
          .variant = variant_label(first),
          .number = n.empty() ? "?" : n,
          .median_s = median_s,
          .valid = valid};
}

VerifyCell verify_cell_of(const std::vector<CsvRow>& rows, IsReference is_reference) {
  std::vector<double> times;
  bool valid = true;
  for (const auto& row : rows) {
    if (row.record.valid) times.push_back(row.record.wall_s);
    valid = valid && row.record.valid;
  }
  return verify_cell(rows.front().record, rows.front().host, summarize(times).median, valid,
                     is_reference);
}

std::unique_ptr<Reporter> make_verify_table(std::ostream& out, IsReference is_reference) {
  return std::make_unique<TableReporter<VerifyCell>>(
      out, "verify",
      [is_reference](const ConfigResult& r, const std::string& host) {
        return verify_cell(r.first(), host, r.wall.count > 0 ? r.wall.median : 0.0, r.valid,
                           is_reference);
      },
      print_verify_table);
}

void print_verify_table(std::ostream& out, const std::vector<VerifyCell>& cells) {
  if (cells.empty()) return;
  std::vector<std::string> numbers;  // in first-seen order, as the user listed them
  for (const auto& c : cells) add_once(numbers, c.number);
  // serial times per host and number, whatever their ipc (the serial run is the same work)
  std::map<std::pair<std::string, std::string>, double> serial;
  std::vector<std::tuple<std::string, std::string, int>> groups;  // host, backend, workers
  for (const auto& c : cells) {
    if (!c.reference) {
      add_once(groups, {c.host, c.backend, c.workers});
    } else if (c.flagless || !serial.contains({c.host, c.number})) {
      serial[{c.host, c.number}] = c.median_s;
    }
  }
  std::size_t label_width = 22;
  for (const auto& c : cells) label_width = std::max(label_width, c.variant.size() + 2);
  const std::size_t width =
      std::max<std::size_t>(20, numbers.empty() ? 0 : numbers.front().size() + 2);
  const auto print_serial_row = [&](const std::string& host) {
    fmt::print(out, "{:<{}}", "serial", label_width);
    for (const auto& n : numbers) {
      const auto it = serial.find({host, n});
      fmt::print(out, "{:>{}}", it != serial.end() ? fmt::format("{:.4f}", it->second) : "-",
                 width);
    }
    fmt::print(out, "\n");
  };
  const auto print_numbers = [&] {
    fmt::print(out, "{:<{}}", "variant", label_width);
    for (const auto& n : numbers) fmt::print(out, "{:>{}}", n, width);
    fmt::print(out, "\n");
  };
  if (groups.empty()) {
    std::set<std::string> hosts;
    for (const auto& c : cells) hosts.insert(c.host);
    for (const auto& host : hosts) {
      fmt::print(out, "\n# verify: median seconds on {}, serial only\n", host);
      print_numbers();
      print_serial_row(host);
    }
    fmt::print(out,
               "# no parallel rows to compare the stop flags with: run verify with --backend "
               "threads, processes, tbb or mpi\n");
    out.flush();
    return;
  }
  for (const auto& [host, backend, workers] : groups) {
    fmt::print(out, "\n# verify: median seconds, {} with {} workers on {} (serial for reference)\n",
               backend, workers, host);
    print_numbers();
    print_serial_row(host);
    std::vector<std::string> variants;
    for (const auto& c : cells) {
      if (c.host == host && c.backend == backend && c.workers == workers)
        add_once(variants, c.variant);
    }
    for (const auto& v : variants) {
      fmt::print(out, "{:<{}}", v, label_width);
      for (const auto& n : numbers) {
        std::string text = "-";
        for (const auto& c : cells) {
          if (c.host == host && c.backend == backend && c.workers == workers && c.variant == v &&
              c.number == n) {
            text = c.valid ? fmt::format("{:.4f}", c.median_s) : "INVALID";
          }
        }
        fmt::print(out, "{:>{}}", text, width);
      }
      fmt::print(out, "\n");
    }
  }
  out.flush();
}

}  // namespace parbench
