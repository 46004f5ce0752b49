#include "harness/kernels/kernel_spec.hpp"

namespace parbench {

std::vector<std::unique_ptr<KernelSpec>> make_kernel_specs() {
  std::vector<std::unique_ptr<KernelSpec>> specs;
  specs.push_back(make_pi_spec());
  specs.push_back(make_primes_spec());
  specs.push_back(make_verify_spec());
  return specs;
}

}  // namespace parbench
