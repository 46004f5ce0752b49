// What the per-kernel tables (count, fill) share: a configuration's repetitions folded into one
// cell's medians and verdict, and the cells grouped into the blocks the table prints.
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "harness/records/record.hpp"
#include "harness/records/statistics.hpp"

namespace parbench {

// Figures gathered by name over a configuration's repetitions, and the first error of one that was
// not valid: which repetitions feed which figure is the table's choice (add), the medians are not.
struct CellSamples {
  std::map<std::string, std::vector<double>> values;
  bool valid = true;
  std::string error;

  void add(const std::string& name, double value) { values[name].push_back(value); }
  void judge(const RunRecord& r) {
    if (r.valid) return;
    valid = false;
    if (error.empty()) error = r.error;
  }
  // Every figure's summary; a name nothing was added to has none.
  std::map<std::string, Summary> summaries() const {
    std::map<std::string, Summary> out;
    for (const auto& [name, list] : values) out[name] = summarize(list);
    return out;
  }
};

// The distinct keys of the cells, in the order the configurations ran: one block of the table each.
template <typename Cell, typename KeyOf>
auto groups_in_order(const std::vector<Cell>& cells, KeyOf key_of) {
  std::vector<decltype(key_of(cells.front()))> groups;
  for (const auto& c : cells) {
    auto key = key_of(c);
    if (std::find(groups.begin(), groups.end(), key) == groups.end())
      groups.push_back(std::move(key));
  }
  return groups;
}

}  // namespace parbench
