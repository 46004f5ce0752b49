// The one timing protocol for every backend: set up (timed apart), warm up, time the repetitions,
// validate every result, aggregate, report. Backends only split and combine; this file does the
// rest.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/backends/backend_options.hpp"
#include "harness/backends/registry.hpp"
#include "harness/records/aggregate.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

struct RunPlan {
  std::vector<std::shared_ptr<const Workload>> workloads;
  std::vector<const backends::BackendEntry*> backends;  // serial first when present
  std::vector<int> workers;
  // Threads inside each rank, for the hybrid backends (ipc::Workers::kRanksOfThreads) only; 0 is
  // auto: the usable CPUs divided among the ranks on this host (local_ranks, or all the workers
  // when 0).
  std::vector<int> threads_per_rank{0};
  int usable_cpus = 1;
  int local_ranks = 0;
  // Each backend's own settings, as its options set them: the runner hands a backend its group's.
  std::shared_ptr<const backends::OptionGroups> backend_options =
      std::make_shared<backends::OptionGroups>();
  std::vector<ScheduleKind> schedules{ScheduleKind::kStatic};
  std::vector<std::uint64_t> chunks{1000};
  int warmup = 1;
  int repeat = 5;
  // Round-robin: the repetitions of all configurations in rounds (A B C A B C ...), so that a slow
  // phase of the machine falls on every configuration alike. Each round starts every backend anew
  // (its setup and warm-ups repeated) for one timed repetition.
  bool interleave = false;
  // More workers than this draw a warning; 0: no warning (under a user's mpirun, where the
  // launcher places the ranks, possibly on several nodes).
  int hardware_threads = 1;
  bool verbose = false;  // name every pair skipped, not just how many
  // Warn about configurations whose repetitions spread more than 5%; off where the caller sums
  // the spread up itself (scripts/bench's card).
  bool spread_warnings = true;
  bool quiet = false;  // no warnings or progress: another process (the launcher, rank 0) gives them
};

// One configuration the runner will measure.
struct Configuration {
  const Workload* work;
  const backends::BackendEntry* entry;
  Schedule schedule;
  int workers;
  int threads_per_rank = 1;
  // The work whose serial and one-worker runs are this configuration's baselines: the plan's
  // workload, or the one sized for its threads where that changed the amount of work (count).
  const Workload* family = nullptr;
};

class Runner {
 public:
  // Expands the plan into its configurations, noting once every pair it skips and why.
  explicit Runner(RunPlan plan);
  // What run() will measure, in order; empty when nothing in the plan can run.
  const std::vector<Configuration>& configurations() const { return configurations_; }
  // Drops every configuration but configurations()[index] (run_matrix's --configuration).
  void keep_only(std::size_t index) { configurations_ = {configurations_.at(index)}; }
  const RunPlan& plan() const { return plan_; }
  // Why pairs of the plan are skipped, and what oversubscribes: for warnings (or, when nothing is
  // left to run, for the error).
  std::vector<std::string> notes() const {
    std::vector<std::string> all = notes_;
    for (const auto& u : unreachable_) all.push_back(u.note);
    return all;
  }
  // Runs every configuration; returns the number of invalid or failed ones.
  int run(const RunContext& context, const std::vector<Reporter*>& reporters);

 private:
  // One configuration's rows: from mpirun where the backend relaunches itself, otherwise measured
  // in this process (harness/configuration_run.hpp). `round` 0 runs every repetition; round k of
  // an interleaved run runs the k-th alone.
  std::vector<RunRecord> measure(const Configuration& config, bool& reports, int round = 0);
  // The schedules (with chunk sizes) that `entry` runs: serial once, chunkless kinds once, kinds
  // the backend cannot do not at all.
  std::vector<Schedule> schedules_for(const backends::BackendEntry& entry);
  void warn(const std::string& message) const;
  // Measures, judges and reports one configuration; keeps the baselines for those that follow.
  void run_configuration(const Configuration& config, const std::vector<Reporter*>& reporters);
  // Judges and reports one configuration's records; keeps the baselines for those that follow.
  void report_configuration(const Configuration& config, std::vector<RunRecord> records,
                            const std::vector<Reporter*>& reporters);
  // --interleave: every configuration's repetitions in rounds, then each reported in order.
  void run_interleaved(const std::vector<Reporter*>& reporters);
  ConfigResult aggregate(const Workload& work, std::vector<RunRecord> records) const;
  void warn_about_idle_workers(const ConfigResult& result) const;
  // Chunks redone after a worker died (redis-queue): the row is valid, and the user should know.
  void note_redelivery(const ConfigResult& result) const;

  RunPlan plan_;
  std::vector<Configuration> configurations_;
  // Workloads sized for their configuration's threads (Workload::for_threads), owned here.
  std::vector<std::shared_ptr<const Workload>> sized_;
  std::set<std::string> refused_;  // mechanisms' refusals already printed (ipc::Unreachable)
  std::vector<std::string> notes_;
  struct Unreachable {
    std::string note;
    bool from_all = false;  // the variant came from `--ipc all`
  };
  std::vector<Unreachable> unreachable_;  // pairs skipped: one warning (or none) unless verbose
  static constexpr int kSpreadWarningsNamed = 3;  // spread warnings named one by one per run
  int spread_warnings_ = 0;
  int more_spread_ = 0;            // over 5% spread beyond those named: one line at the end
  int oversubscribed_spread_ = 0;  // configurations over 5% spread that the plan oversubscribes
  // Per workload: the serial result and times, the reference for validity and speed-up.
  const Workload* baselines_of_ = nullptr;  // the workload they belong to
  std::optional<std::uint64_t> serial_result_;
  std::optional<Baseline> serial_;
  std::map<std::string, Baseline> one_worker_;  // per backend and schedule
  int failures_ = 0;
  int progress_index_ = 0;
};

}  // namespace parbench
