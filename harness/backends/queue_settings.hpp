// The redis-queue backend's own settings and options: the server (--redis, which the kernels'
// mechanisms share; empty: a private one), the queue's name (--queue; empty: one of its own),
// whether workers are started by users rather than by parbench (--external-workers), how long they
// may take to join (--join-timeout), and the expiry of their heartbeats (--heartbeat). Checked
// before anything runs: bad input is one line and exit code 2 (UsageError), never a failed row
// later. Compiled in every build, so that a build without hiredis still takes them.
#pragma once

#include <memory>
#include <string>

#include "harness/backends/backend_options.hpp"

namespace parbench::backends {

struct QueueSettings {
  std::string redis_url;
  std::string queue;
  bool external_workers = false;
  double join_timeout_s = 600.0;
  int heartbeat_ms = 1000;
};

std::unique_ptr<BackendOptions> queue_options();

}  // namespace parbench::backends
