#include "harness/workloads/memory_budget.hpp"

#include <unistd.h>

#include <cstdlib>

#include "harness/backends/parse.hpp"

namespace parbench {

std::uint64_t memory_budget_bytes() {
  // Read where it is used, so checked here: a budget that is not a number is not 0.
  if (const char* mb = std::getenv("PARBENCH_MEMORY_BUDGET_MB"))
    return parse_integer(mb, "PARBENCH_MEMORY_BUDGET_MB", 1, std::uint64_t{1} << 40) << 20;
  return static_cast<std::uint64_t>(sysconf(_SC_PHYS_PAGES)) *
         static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)) / 2;
}

}  // namespace parbench
