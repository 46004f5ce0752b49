#include "harness/workloads/ipc_options.hpp"

#if PARBENCH_HAVE_REDIS
#include "ipc/redis_server.hpp"
#endif

namespace parbench {

void IpcOptions::add_to(CLI::App& run) {
  if (run.get_option_no_throw("--ipc") != nullptr) return;  // another kernel registered them
  auto* group =
      run.add_option_group("ipc", "The mechanism under test, for the kernels that use one");
  group
      ->add_option("--ipc", names,
                   "Mechanisms, a list: stop flags for verify (default none), shared counters for "
                   "count (default all) and for pi and primes to publish their results through "
                   "(default none) (see `parbench list`); all: every one that can run here")
      ->delimiter(',');
  group
      ->add_option("--publish-every", publish_every,
                   "pi and primes with a counter: items between two adds of a worker's partial "
                   "result; slice: once per slice")
      ->capture_default_str();
  // From the environment too: a password on the command line is public in `ps`.
  group
      ->add_option("--redis", redis_url,
                   "The server of the redis variants and of the redis-queue backend, "
                   "redis://[:password@]host[:port][/db] or unix:///path; default: "
                   "$PARBENCH_REDIS_URL (which keeps a password out of `ps`), else a private "
                   "redis-server")
      ->envname("PARBENCH_REDIS_URL");
  // Set in a queue's description only (Mechanism::join_args), hence hidden.
  group->add_option("--join-url", join_url)->group("");
  group->add_option("--join-key", join_key)->group("");
}

std::vector<std::string> IpcOptions::mine(const std::vector<std::string>& known,
                                          std::vector<std::string> fallback) const {
  std::vector<std::string> own;
  for (const auto& name : names) {
    if (std::find(known.begin(), known.end(), name) != known.end()) own.push_back(name);
  }
  return own.empty() ? fallback : own;
}

ipc::MechanismSettings IpcOptions::settings() const {
#if PARBENCH_HAVE_REDIS
  if (!redis_url.empty()) {
    try {
      ipc::parse_redis_url(redis_url);
    } catch (const std::invalid_argument& e) {
      throw UsageError(fmt::format("--redis: {}", e.what()));
    }
  }
#endif
  if (!join_key.empty()) return {join_url, join_key};
  return {redis_url, ""};
}

}  // namespace parbench
