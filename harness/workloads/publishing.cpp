#include "harness/workloads/publishing.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/backends/parse.hpp"
#include "harness/records/errors.hpp"

namespace parbench {

std::string Publishing::params() const {
  if (!counter) return "";
  return every == 0 ? ";publish_every=slice" : fmt::format(";publish_every={}", every);
}

std::vector<std::string> Publishing::cli_args() const {
  if (!counter) return {};
  return {"--ipc", counter->name(), "--publish-every",
          every == 0 ? std::string("slice") : std::to_string(every)};
}

std::vector<std::string> publishing_ipc_names() {
  return ipc_names_of(ipc::registered<ipc::CounterVariant>(), true);
}

std::vector<Publishing> publishings(const IpcOptions& ipc) {
  const std::uint64_t every =
      ipc.publish_every == "slice" ? 0 : parse_count(ipc.publish_every, "--publish-every");
  const ipc::MechanismSettings settings = ipc.settings();
  std::vector<Publishing> list;
  for (const auto& v : choose(ipc.mine(publishing_ipc_names(), {"none"}),
                              ipc::registered<ipc::CounterVariant>(), true, settings, "counter")) {
    if (v.variant == nullptr) {
      list.push_back({});
      continue;
    }
    list.push_back({std::make_shared<CounterMechanism>(*v.variant, settings, v.from_all), every});
  }
  const bool any_counter =
      std::any_of(list.begin(), list.end(), [](const Publishing& p) { return p.mechanism(); });
  if (every != 0 && !any_counter) {
    throw UsageError(fmt::format(
        "--publish-every {} needs a counter to publish through: add --ipc with one of {}",
        ipc.publish_every, fmt::join(publishing_ipc_names(), ", ")));
  }
  return list;
}

}  // namespace parbench
