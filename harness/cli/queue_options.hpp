// The redis-queue backend's options of run and sweep (--queue, --external-workers, --join-timeout,
// --heartbeat), and the checks of them and of --redis, made before anything runs: bad input is one
// line and exit code 2 (UsageError), never a failed row later.
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "harness/backends/queue_settings.hpp"

namespace parbench::cli {

// Binds the queue's options to its settings.
void add_queue_options(CLI::App& cmd, backends::QueueSettings& settings);

// A malformed URL (given or from $PARBENCH_REDIS_URL) is a UsageError that quotes none of it.
void check_redis_url(const std::string& url);

// --queue (given, even empty) and --external-workers belong to the redis-queue backend: refused
// unless `backends` names it; a bad queue name, or external workers with no server they can
// reach, refused too.
void check_queue_options(const std::vector<std::string>& backends, bool queue_given,
                         const backends::QueueSettings& settings);

}  // namespace parbench::cli
