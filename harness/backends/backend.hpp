// A backend is a thin adapter: it starts workers, splits a workload among them, runs it and
// combines the partial results. It never validates, times repetitions or reports; the runner does
// that once for all backends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/schedule.hpp"
#include "harness/backends/workload.hpp"
#include "harness/records/measurement.hpp"
#include "harness/records/worker_report.hpp"

namespace parbench {

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

// One worker's share on a cache line of its own, so that workers writing theirs never share one.
struct alignas(64) PaddedShare {
  WorkerShare share;
};

// The workers' shares folded into one result, their loads in worker order: what a backend whose
// workers share memory with it returns.
inline RunOutput combine_shares(const Workload& work, const std::vector<PaddedShare>& shares) {
  RunOutput out;
  out.result = reduction_identity(work.reduction());
  for (const auto& s : shares) {
    out.result = fold(work.reduction(), out.result, s.share.value);
    out.workers.push_back(s.share.report);
  }
  return out;
}

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

  // Nodes and hosts taking part; one node named by the fingerprint unless a backend spans several.
  virtual int nodes() const { return 1; }
  virtual std::string worker_hosts() const { return {}; }
  // The CPUs each worker may run on (RunRecord::worker_cpus); empty where not recorded.
  virtual std::string worker_cpus() const { return {}; }
  // What only MPI ranks or the job queue need (threads per rank, setup before start, which rank
  // reports, the launch's settings) is not here: harness/backends/opt_in_hooks.hpp.
};

}  // namespace parbench
