// One configuration's aggregates from its judged rows: what the runner reports after measuring and
// what `parbench report summary` rebuilds from CSVs, computed the same way.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/records/record.hpp"

namespace parbench {

// What speed-up is measured against: the serial run of the workload, or else the same backend and
// schedule at one worker.
struct Baseline {
  double median_s;
  double setup_s;
};

// Wall-time summary, imbalance and throughput over the valid rows, speed-up against `baseline`
// where there is one; invalid rows make the configuration invalid with the first one's error.
ConfigResult aggregate_rows(std::vector<RunRecord> reps, const std::optional<Baseline>& baseline);

// The key of the one-worker baseline: backend, schedule and chunk.
std::string baseline_key(const RunRecord& r);

}  // namespace parbench
