#include "harness/backends/queue_settings.hpp"

#include <fmt/format.h>

#include <CLI/App.hpp>
#include <algorithm>
#include <stdexcept>

#include "harness/backends/number_options.hpp"
#include "harness/backends/redis_queue.hpp"
#include "harness/records/errors.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::backends {
namespace {

// The option if the command line (or its environment variable) gave it.
const CLI::Option* given(const CLI::App& cmd, const char* name) {
  const CLI::Option* option = cmd.get_option_no_throw(name);
  return option != nullptr && option->count() > 0 ? option : nullptr;
}

class QueueOptions final : public OptionsOf<QueueSettings> {
 public:
  void add_to(CLI::App& cmd) override {
    cmd.add_option("--queue", settings.queue,
                   "redis-queue: the queue's name, for workers started elsewhere (default: a new "
                   "one per configuration)");
    cmd.add_flag("--external-workers", settings.external_workers,
                 "redis-queue: start no workers; wait for --workers N of them that users start "
                 "with `parbench worker --redis URL --queue NAME`, on any host");
    cmd.add_option("--join-timeout", settings.join_timeout_s,
                   "redis-queue with --external-workers: seconds to wait for the workers to join")
        ->transform(whole_number(1, 86400))
        ->type_name("INT")  // whole seconds, kept as the double the queue waits with
        ->capture_default_str();
    cmd.add_option("--heartbeat", settings.heartbeat_ms,
                   "redis-queue: the expiry of a worker's heartbeat in ms; a worker silent that "
                   "long is dead and its chunks go to others")
        ->transform(whole_number(40, 60000))
        ->capture_default_str();
  }

  // --queue (given, even empty) and --external-workers belong to the redis-queue backend: refused
  // unless `named` names it; a bad queue name, or external workers with no server they can reach,
  // refused too. A malformed --redis (given or from $PARBENCH_REDIS_URL) quotes none of the URL.
  void after_parse(const CLI::App& cmd, const std::vector<std::string>& named) override {
    if (const CLI::Option* redis = given(cmd, "--redis")) {
      settings.redis_url = redis->as<std::string>();
      try {
        ipc::parse_redis_url(settings.redis_url);
      } catch (const std::invalid_argument& e) {
        throw UsageError(fmt::format("--redis: {}", e.what()));
      }
    }
    const bool queue_given = given(cmd, "--queue") != nullptr;
    const char* option = queue_given                 ? "--queue"
                         : settings.external_workers ? "--external-workers"
                                                     : nullptr;
    if (option == nullptr) return;
    // Not in the default matrix either: without it the option would be silently ignored.
    if (std::find(named.begin(), named.end(), "redis-queue") == named.end())
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
};

}  // namespace

std::unique_ptr<BackendOptions> queue_options() { return std::make_unique<QueueOptions>(); }

}  // namespace parbench::backends
