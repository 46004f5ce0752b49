// parbench worker --redis URL --queue NAME: one worker of a redis-queue run, started by parbench
// itself or by a user on any host (a Slurm job array). It takes the kernel and its parameters from
// the queue, never from its own command line.
#include <fmt/format.h>

#include <memory>
#include <stdexcept>

#include "harness/backends/number_options.hpp"
#include "harness/cli/commands.hpp"
#include "harness/records/errors.hpp"
#include "harness/workloads/kernel_spec.hpp"

#if PARBENCH_HAVE_REDIS
#include "harness/backends/redis_queue.hpp"
#include "ipc/redis_server.hpp"
#endif

namespace parbench::cli {

void setup_worker_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "worker", "Take chunks from a redis-queue run's queue until its feeder ends (on any host)");
  struct Options {
    std::string url;
    std::string queue;
    double wait_s = 60.0;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--redis", o->url,
                  "The feeder's server: redis://[:password@]host[:port][/db] or unix:///path "
                  "(default: $PARBENCH_REDIS_URL, which keeps a password out of `ps`)")
      ->envname("PARBENCH_REDIS_URL");
  cmd->add_option("--queue", o->queue, "The queue's name, as the feeder printed it")->required();
  cmd->add_option("--wait", o->wait_s, "Seconds to wait for the feeder to appear (up to a day)")
      ->transform(seconds(0.001, 86400))
      ->capture_default_str();
  cmd->callback([o, &exit_code] {
#if PARBENCH_HAVE_REDIS
    const std::string& url = o->url;
    if (url.empty()) throw UsageError("parbench worker needs --redis URL (or PARBENCH_REDIS_URL)");
    if (const std::string why = queue::check_queue_name(o->queue); !why.empty())
      throw UsageError(why);
    try {
      ipc::parse_redis_url(url);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--redis: {}", e.what()));
    }
    queue::serve_queue({url, o->queue, o->wait_s}, workload_from_args);
    exit_code = 0;
#else
    throw UsageError("this build has no Redis (configured without hiredis): no worker");
#endif
  });
}

}  // namespace parbench::cli
