#include "harness/kernels/memory_budget.hpp"

#include <unistd.h>

#include <cstdlib>

namespace parbench {

std::uint64_t memory_budget_bytes() {
  if (const char* mb = std::getenv("PARBENCH_MEMORY_BUDGET_MB"))
    return std::strtoull(mb, nullptr, 10) << 20;
  return static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) *
         static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) / 2;
}

}  // namespace parbench
