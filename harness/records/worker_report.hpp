// What one worker did during one repetition (load balance), and the one way to summarise it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace parbench {

struct WorkerReport {
  double busy_s = 0.0;
  std::uint64_t items = 0;  // items processed (fewer than handed out when the worker stopped early)
};

// The busiest worker's time over the mean (1 is perfect balance); nullopt when nobody was busy.
std::optional<double> imbalance(const std::vector<WorkerReport>& workers);

}  // namespace parbench
