// What a workload may plan to hold in memory: half of the machine, or PARBENCH_MEMORY_BUDGET_MB on
// a shared node. Checked before anything is allocated.
#pragma once

#include <cstdint>

namespace parbench {

std::uint64_t memory_budget_bytes();

}  // namespace parbench
