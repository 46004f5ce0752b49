#include "harness/kernels/kernel_spec.hpp"

#include "harness/kernels/ipc_options.hpp"

namespace parbench {

std::vector<std::unique_ptr<KernelSpec>> make_kernel_specs() {
  const auto ipc = std::make_shared<IpcOptions>();
  std::vector<std::unique_ptr<KernelSpec>> specs;
  specs.push_back(make_pi_spec(ipc));
  specs.push_back(make_primes_spec({"C"}, {"in"}, ipc));
  specs.push_back(make_verify_spec(ipc));
  specs.push_back(make_count_spec(ipc));
  specs.push_back(make_fill_spec(ipc));
  return specs;
}

}  // namespace parbench
