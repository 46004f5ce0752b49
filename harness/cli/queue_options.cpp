#include "harness/cli/queue_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "harness/backends/redis_queue.hpp"
#include "harness/cli/number_options.hpp"
#include "harness/records/errors.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::cli {

void add_queue_options(CLI::App& cmd, backends::QueueSettings& settings) {
  cmd.add_option("--queue", settings.queue,
                 "redis-queue: the queue's name, for workers started elsewhere (default: a new "
                 "one per configuration)");
  cmd.add_flag("--external-workers", settings.external_workers,
               "redis-queue: start no workers; wait for --workers N of them that users start with "
               "`parbench worker --redis URL --queue NAME`, on any host");
  cmd.add_option("--join-timeout", settings.join_timeout_s,
                 "redis-queue with --external-workers: seconds to wait for the workers to join")
      ->transform(whole_number(1, 86400))
      ->type_name("INT")  // whole seconds, kept as the double the queue waits with
      ->capture_default_str();
  cmd.add_option("--heartbeat", settings.heartbeat_ms,
                 "redis-queue: the expiry of a worker's heartbeat in ms; a worker silent that long "
                 "is dead and its chunks go to others")
      ->transform(whole_number(40, 60000))
      ->capture_default_str();
}

void check_redis_url(const std::string& url) {
  try {
    ipc::parse_redis_url(url);
  } catch (const std::invalid_argument& e) {
    throw UsageError(fmt::format("--redis: {}", e.what()));
  }
}

void check_queue_options(const std::vector<std::string>& backends, bool queue_given,
                         const backends::QueueSettings& settings) {
  const char* option = queue_given                 ? "--queue"
                       : settings.external_workers ? "--external-workers"
                                                   : nullptr;
  if (option == nullptr) return;
  // Not in the default matrix either: without it the option would be silently ignored.
  if (std::find(backends.begin(), backends.end(), "redis-queue") == backends.end())
    throw UsageError(
        fmt::format("{} is an option of the redis-queue backend: add --backend "
                    "redis-queue, or leave it out",
                    option));
  if (queue_given) {
    if (const std::string why = queue::check_queue_name(settings.queue); !why.empty())
      throw UsageError("--queue: " + why);
  }
  if (settings.external_workers && settings.redis_url.empty()) {
    throw UsageError(
        "--external-workers needs --redis URL (or PARBENCH_REDIS_URL): a server that workers "
        "on other hosts can reach (the private one listens on a Unix socket only)");
  }
}

}  // namespace parbench::cli
