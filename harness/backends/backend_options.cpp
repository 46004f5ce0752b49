#include "harness/backends/backend_options.hpp"

#include <algorithm>

#include "harness/backends/registry.hpp"

namespace parbench::backends {

OptionGroups::OptionGroups() {
  for (const auto& entry : all_backends()) {
    if (entry.options == nullptr || of(entry) != nullptr) continue;
    groups_.push_back({entry.options, entry.options()});
  }
}

void OptionGroups::add_to(CLI::App& cmd) {
  for (auto& group : groups_) group.options->add_to(cmd);
}

void OptionGroups::after_parse(const CLI::App& cmd, const std::vector<std::string>& named) {
  for (auto& group : groups_) group.options->after_parse(cmd, named);
}

const BackendOptions* OptionGroups::of(const BackendEntry& entry) const {
  const auto it = std::find_if(groups_.begin(), groups_.end(),
                               [&](const Group& g) { return g.make == entry.options; });
  return it != groups_.end() ? it->options.get() : nullptr;
}

}  // namespace parbench::backends
