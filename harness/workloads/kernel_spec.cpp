#include "harness/workloads/kernel_spec.hpp"

#include <fmt/format.h>

#include "harness/records/errors.hpp"
#include "harness/workloads/ipc_options.hpp"
#include "harness/workloads/seed_option.hpp"

namespace parbench {

std::vector<std::unique_ptr<KernelSpec>> make_kernel_specs() {
  const auto ipc = std::make_shared<IpcOptions>();
  const auto seed = std::make_shared<SeedOption>();
  std::vector<std::unique_ptr<KernelSpec>> specs;
  specs.push_back(make_pi_spec(ipc, seed));
  specs.push_back(make_primes_spec({"C"}, {"in"}, ipc));
  specs.push_back(make_verify_spec(ipc));
  specs.push_back(make_count_spec(ipc));
  specs.push_back(make_fill_spec(ipc, seed));
  return specs;
}

std::shared_ptr<const Workload> workload_from_args(const std::string& kernel,
                                                   const std::vector<std::string>& args) {
  auto specs = make_kernel_specs();
  CLI::App app;
  for (auto& spec : specs) spec->add_options(app);
  for (auto& spec : specs) {
    if (spec->name() != kernel) continue;
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
    try {
      app.parse(reversed);
    } catch (const CLI::ParseError& e) {
      throw UsageError(fmt::format("the {} kernel's arguments: {}", kernel, e.what()));
    }
    auto list = spec->workloads();
    if (list.size() != 1) {
      throw UsageError(fmt::format("the {} kernel's arguments describe {} workloads, not one",
                                   kernel, list.size()));
    }
    return list.front();
  }
  throw UsageError(fmt::format("no kernel named {} in this parbench", kernel));
}

}  // namespace parbench
