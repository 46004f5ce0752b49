#include "harness/reporters/verify_table.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <map>
#include <set>

namespace parbench {

VerifyCell verify_cell(const RunRecord& first, double median_s, bool valid) {
  const auto start = first.params.find("n=");
  const auto end = first.params.find(';', start);
  const std::string n =
      start == std::string::npos ? "?" : first.params.substr(start + 2, end - start - 2);
  // --check-every auto gets rows of its own next to the fixed K.
  const bool automatic = first.params.find("check_every=auto") != std::string::npos;
  return {first.backend, first.workers, automatic ? first.ipc + " auto" : first.ipc, n,
          median_s,      valid};
}

void VerifyTableReporter::report(const ConfigResult& result) {
  if (result.first().kernel != "verify") return;
  cells_.push_back(
      verify_cell(result.first(), result.wall.count > 0 ? result.wall.median : 0.0, result.valid));
}

void print_verify_table(std::ostream& out, const std::vector<VerifyCell>& cells) {
  if (cells.empty()) return;
  std::vector<std::string> numbers;  // in first-seen order, as the user listed them
  for (const auto& c : cells) {
    if (std::find(numbers.begin(), numbers.end(), c.number) == numbers.end())
      numbers.push_back(c.number);
  }
  // serial times per number, whatever their ipc (the serial run is the same work)
  std::map<std::string, double> serial;
  for (const auto& c : cells) {
    if (c.backend == "serial" && (c.ipc == "none" || !serial.contains(c.number)))
      serial[c.number] = c.median_s;
  }
  std::set<std::pair<std::string, int>> groups;
  for (const auto& c : cells) {
    if (c.backend != "serial") groups.insert({c.backend, c.workers});
  }
  const std::size_t width =
      std::max<std::size_t>(20, numbers.empty() ? 0 : numbers.front().size() + 2);
  for (const auto& [backend, workers] : groups) {
    fmt::print(out, "\n# verify: median seconds, {} with {} workers (serial for reference)\n",
               backend, workers);
    fmt::print(out, "{:<18}", "variant");
    for (const auto& n : numbers) fmt::print(out, "{:>{}}", n, width);
    fmt::print(out, "\n{:<18}", "serial");
    for (const auto& n : numbers) {
      fmt::print(out, "{:>{}}", serial.contains(n) ? fmt::format("{:.4f}", serial[n]) : "-", width);
    }
    fmt::print(out, "\n");
    std::vector<std::string> variants;
    for (const auto& c : cells) {
      if (c.backend == backend && c.workers == workers &&
          std::find(variants.begin(), variants.end(), c.ipc) == variants.end()) {
        variants.push_back(c.ipc);
      }
    }
    for (const auto& v : variants) {
      fmt::print(out, "{:<18}", v);
      for (const auto& n : numbers) {
        std::string text = "-";
        for (const auto& c : cells) {
          if (c.backend == backend && c.workers == workers && c.ipc == v && c.number == n) {
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
