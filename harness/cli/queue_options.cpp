#include "harness/cli/queue_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "harness/backends/redis_queue.hpp"
#include "harness/errors.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::cli {

void check_redis_url(const std::string& url) {
  try {
    ipc::parse_redis_url(url);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--redis: {}", e.what()));
  }
}

void check_queue_options(const std::vector<std::string>& backends, bool queue_given,
                         const LaunchOptions& launch) {
  const char* option = queue_given               ? "--queue"
                       : launch.external_workers ? "--external-workers"
                                                 : nullptr;
  if (option == nullptr) return;
  // Not in the default matrix either: without it the option would be silently ignored.
  if (std::find(backends.begin(), backends.end(), "redis-queue") == backends.end())
    throw UsageError(
        fmt::format("{} is an option of the redis-queue backend: add --backend "
                    "redis-queue, or leave it out",
                    option));
  if (queue_given) {
    if (const std::string why = queue::check_queue_name(launch.queue); !why.empty())
      throw UsageError("--queue: " + why);
  }
  if (launch.external_workers && launch.redis_url.empty()) {
    throw UsageError(
        "--external-workers needs --redis URL (or PARBENCH_REDIS_URL): a server that workers "
        "on other hosts can reach (the private one listens on a Unix socket only)");
  }
}

}  // namespace parbench::cli
