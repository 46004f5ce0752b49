// A backend is a thin adapter: it starts workers, splits a workload among them, runs it and
// combines the partial results. It never validates, times repetitions or reports; the runner does
// that once for all backends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/measurement.hpp"
#include "harness/schedule.hpp"
#include "harness/worker_report.hpp"
#include "harness/workload.hpp"

namespace parbench {

// What the user asks of whatever starts the workers.
struct LaunchOptions {
  // mpirun: where ranks go and what they are bound to, passed through as --map-by and --bind-to
  // (empty: mpirun's defaults).
  std::string map_by;
  std::string bind_to;
  // redis-queue: the server (empty: a private one), the queue's name (empty: one of its own),
  // whether workers are started by users rather than by parbench, how long they may take to join,
  // and the expiry of their heartbeats.
  std::string redis_url;
  std::string queue;
  bool external_workers = false;
  double join_timeout_s = 600.0;
  int heartbeat_ms = 1000;
};

struct RunOutput {
  std::uint64_t result = 0;
  std::vector<WorkerReport> workers;
  // CPU time spent in other processes (forked workers, other MPI ranks); the runner adds its own.
  double outside_cpu_s = 0.0;
  // Set by backends whose wall time is not the caller's (MPI: the maximum over ranks, between
  // barriers); otherwise the runner's clock around run() is the wall time.
  std::optional<double> wall_s;
  // Figures of the backend's own (redis-queue: redelivered and lost_s, the chunks redone after
  // their worker died and the time that cost; workers_ran where fewer ran than were asked for),
  // and why a repetition that ran cannot stand for its configuration (the row is then invalid).
  Measurements measurements;
  std::string problem;
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Starts `workers` workers bound to `work` and handing out items by `schedule`, for the life of
  // the configuration (pool, fork, arena, MPI). The runner times this as the setup cost. Throws on
  // failure.
  virtual void start(const Workload& work, int workers, const Schedule& schedule) = 0;
  // One repetition over the whole workload. Throws WorkerFailure when a worker dies or fails.
  virtual RunOutput run() = 0;
  // Stops and reaps the workers. Safe to call after a failure and more than once.
  virtual void stop() noexcept = 0;

  // Setup that happened before start() could time it (launching mpirun), in seconds.
  virtual double setup_before_start_s() const { return 0.0; }
  // Nodes and hosts taking part; one node named by the fingerprint unless a backend spans several.
  virtual int nodes() const { return 1; }
  virtual std::string worker_hosts() const { return {}; }
  // The CPUs each worker may run on (RunRecord::worker_cpus); empty where not recorded.
  virtual std::string worker_cpus() const { return {}; }
  // Threads inside each worker, for backends whose workers are multi-threaded ranks (mpi+threads);
  // called before start(). Others have one thread per worker and ignore it.
  virtual void set_threads_per_rank(int /*threads*/) {}
  // What the user asked of the launch (LaunchOptions); called before start().
  virtual void set_launch(const LaunchOptions& /*options*/) {}
  // Only one MPI rank reports; every other backend always does.
  virtual bool reports() const { return true; }
};

}  // namespace parbench
