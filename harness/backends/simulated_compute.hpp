// The smpi build's clock for the kernel: SimGrid's SMPI runs every simulated rank in one process
// and advances simulated time only where it is told to. Each slice a rank computes is charged to
// its simulated host here, either as the thread CPU time it really took (which other processes on
// the machine do not inflate) or as a fixed cost per item (PARBENCH_SMPI_ITEM_COST, "pi=2.8e-10,
// primes=6e-7", set by scripts/cluster/simulate --item-cost), which makes a simulation repeat to
// the last digit. SMPI scales the charge by smpi/host-speed over the host's speed (the platform).
#pragma once

#include <memory>
#include <string>

#include "harness/backends/forwarding_workload.hpp"

namespace parbench::backends {

// The per-item cost PARBENCH_SMPI_ITEM_COST gives `kernel` (seconds), 0 when it names none.
double simulated_item_cost(const std::string& kernel);
// How the build charges computation, for the fingerprint: "thread CPU time" or the costs.
std::string simulated_compute_mode();

class SimulatedCompute final : public ForwardingWorkload {
 public:
  explicit SimulatedCompute(const Workload& whole)
      : ForwardingWorkload(whole), item_cost_s_(simulated_item_cost(whole.kernel())) {}
  std::uint64_t run_slice_counted(std::uint64_t begin, std::uint64_t end,
                                  std::uint64_t& done) const override;
  WorkloadTraits traits() const override { return whole().traits(); }
  Mechanism* mechanism() const override { return whole().mechanism(); }

 private:
  double item_cost_s_;
};

}  // namespace parbench::backends
