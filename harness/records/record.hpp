// The data the runner produces and the reporters consume: plain structs, no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/records/fingerprint.hpp"
#include "harness/records/measurement.hpp"
#include "harness/records/statistics.hpp"
#include "harness/records/worker_report.hpp"

namespace parbench {

// One timed repetition of one configuration: a CSV row.
struct RunRecord {
  std::string kernel;
  std::string backend;
  std::string ipc = "none";
  std::string schedule = "static";
  std::uint64_t chunk = 0;   // items per chunk; 0 where the schedule has no chunks (static, auto)
  int workers = 1;           // threads, processes or ranks
  int threads_per_rank = 1;  // threads inside each worker: more than 1 for hybrids (mpi+threads)
  int nodes = 1;
  std::uint64_t size = 0;
  std::string params;
  int rep = 0;    // 1-based; 0 marks a configuration that failed before its first timed repetition
  int round = 0;  // --interleave: the round this repetition ran in (its rep too); 0 without rounds
  double setup_s = 0.0;
  double wall_s = 0.0;
  double cpu_s = 0.0;
  std::uint64_t result = 0;
  double value = 0.0;
  bool valid = false;
  std::string error;
  std::string worker_hosts;
  // The CPUs each worker was allowed to run on, in worker order, run-length encoded like the hosts
  // ("0*1;1*1": worker 0 on CPU 0, worker 1 on CPU 1); empty where the backend does not say.
  std::string worker_cpus;
  std::vector<WorkerReport> worker_reports;
  // What the kernel, its mechanism and the backend measured themselves (flag looks, stop latency,
  // a counter's lost_updates, redis-queue's redelivered and lost_s), in order.
  Measurements measurements;
};

// Every thread of work: workers x threads inside each, what speed-up is divided by.
inline int total_threads(const RunRecord& r) { return r.workers * r.threads_per_rank; }
// "4", or "2x8" for 2 ranks of 8 threads.
inline std::string workers_text(const RunRecord& r) {
  return r.threads_per_rank == 1
             ? std::to_string(r.workers)
             : std::to_string(r.workers) + "x" + std::to_string(r.threads_per_rank);
}

// All repetitions of one configuration with their aggregates.
struct ConfigResult {
  std::vector<RunRecord> reps;
  Summary wall;                      // over the valid, completed repetitions
  std::optional<double> speedup;     // against serial, else against this backend at 1 worker
  std::optional<double> efficiency;  // speedup / total_threads
  std::optional<double> speedup_with_setup;  // the same with each side's setup time added
  double throughput = 0.0;                   // work items per second at the median
  double imbalance = 1.0;                    // max / mean worker busy time, median over repetitions
  bool valid = false;                        // every repetition valid
  std::string error;                         // the first error, if any
  const RunRecord& first() const { return reps.front(); }
};

// What every row shares: the run and the machine.
struct RunContext {
  std::string run_id;
  std::string timestamp;  // UTC, ISO 8601
  Fingerprint machine;
};

}  // namespace parbench
