// --seed: one option for every kernel that draws random numbers (pi's darts, fill's random rows),
// registered once by the first kernel that asks, as --ipc is (ipc_options.hpp). Two kernels
// registering an option of the same name would leave the second one's never set.
#pragma once

#include <CLI/App.hpp>
#include <cstdint>
#include <vector>

#include "harness/backends/number_options.hpp"

namespace parbench {

struct SeedOption {
  std::vector<std::uint64_t> given;  // as given; empty: each kernel's own default

  void add_to(CLI::App& run) {
    if (run.get_option_no_throw("--seed") != nullptr) return;  // another kernel registered it
    run.add_option_group("random", "The seed of the kernels that draw random numbers")
        ->add_option("--seed", given,
                     "Seeds of the random streams, a list (default: pi 1, fill's random rows "
                     "2026)")
        ->delimiter(',')
        ->transform(any_u64());
  }
  // The seeds given, or the kernel's own default.
  std::vector<std::uint64_t> or_default(std::uint64_t fallback) const {
    return given.empty() ? std::vector<std::uint64_t>{fallback} : given;
  }
};

}  // namespace parbench
