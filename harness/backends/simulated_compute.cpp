// Only in the smpi build (PARBENCH_SMPI): see simulated_compute.hpp.
#include "harness/backends/simulated_compute.hpp"

#include <mpi.h>  // SimGrid's, with smpi_execute_benched
#include <time.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace parbench::backends {
namespace {

// The real thread CPU clock: smpicxx's helpers turn clock_gettime into the simulated clock, and the
// parentheses keep that function-like macro from applying.
double thread_cpu_s() {
  timespec ts{};
  (clock_gettime)(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

double simulated_item_cost(const std::string& kernel) {
  const char* costs = std::getenv("PARBENCH_SMPI_ITEM_COST");
  if (costs == nullptr) return 0.0;
  // "kernel=seconds,kernel=seconds"; scripts/cluster/simulate checks the form before it starts.
  std::string_view rest(costs);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view pair = rest.substr(0, comma);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == kernel)
      return std::strtod(std::string(pair.substr(equals + 1)).c_str(), nullptr);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return 0.0;
}

std::string simulated_compute_mode() {
  const char* costs = std::getenv("PARBENCH_SMPI_ITEM_COST");
  if (costs == nullptr) return "compute: thread CPU time per slice";
  std::string listed(costs);
  std::replace(listed.begin(), listed.end(), ',', ' ');  // one CSV field, unquoted
  return fmt::format("compute: fixed seconds per item {}", listed);
}

std::uint64_t SimulatedCompute::run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                                  std::uint64_t& done) const {
  const double t0 = thread_cpu_s();
  const std::uint64_t result = whole().run_slice_counted(begin, end, done);
  const double took = thread_cpu_s() - t0;
  smpi_execute_benched(item_cost_s_ > 0.0 ? item_cost_s_ * static_cast<double>(done) : took);
  return result;
}

}  // namespace parbench::backends
