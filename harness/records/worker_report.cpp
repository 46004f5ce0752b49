#include "harness/records/worker_report.hpp"

#include <algorithm>

namespace parbench {

std::optional<double> imbalance(const std::vector<WorkerReport>& workers) {
  double busiest = 0.0;
  double total = 0.0;
  for (const auto& w : workers) {
    busiest = std::max(busiest, w.busy_s);
    total += w.busy_s;
  }
  if (total <= 0.0) return std::nullopt;
  return busiest * static_cast<double>(workers.size()) / total;
}

}  // namespace parbench
