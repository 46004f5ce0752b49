#include "harness/records/aggregate.hpp"

#include <fmt/format.h>

namespace parbench {

std::string baseline_key(const RunRecord& r) {
  return fmt::format("{}/{}/{}", r.backend, r.schedule, r.chunk);
}

ConfigResult aggregate_rows(std::vector<RunRecord> reps, const std::optional<Baseline>& baseline) {
  ConfigResult result;
  std::vector<double> times;
  std::vector<double> imbalances;
  result.valid = true;
  for (const auto& r : reps) {
    if (!r.valid) {
      result.valid = false;
      if (result.error.empty()) result.error = r.error;
      continue;
    }
    times.push_back(r.wall_s);
    if (const auto i = imbalance(r.worker_reports)) imbalances.push_back(*i);
  }
  result.wall = summarize(times);
  if (!imbalances.empty()) result.imbalance = summarize(imbalances).median;
  if (result.wall.count > 0) {
    const RunRecord& first = reps.front();
    result.throughput = static_cast<double>(first.size) / result.wall.median;
    if (baseline) {
      result.speedup = baseline->median_s / result.wall.median;
      result.efficiency = *result.speedup / total_threads(first);
      result.speedup_with_setup =
          (baseline->median_s + baseline->setup_s) / (result.wall.median + first.setup_s);
    }
  }
  result.reps = std::move(reps);
  return result;
}

}  // namespace parbench
