// The redis-queue backend's own settings (registered by harness/cli/queue_options.cpp): the server
// (empty: a private one), the queue's name (empty: one of its own), whether workers are started by
// users rather than by parbench, how long they may take to join, and the expiry of their
// heartbeats.
#pragma once

#include <string>

namespace parbench::backends {

struct QueueSettings {
  std::string redis_url;
  std::string queue;
  bool external_workers = false;
  double join_timeout_s = 600.0;
  int heartbeat_ms = 1000;
};

}  // namespace parbench::backends
