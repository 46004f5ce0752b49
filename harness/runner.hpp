// The one timing protocol for every backend: set up (timed apart), warm up, time the repetitions,
// validate every result, aggregate, report. Backends only split and combine; this file does the
// rest.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/registry.hpp"
#include "harness/reporters/reporter.hpp"

namespace parbench {

struct RunPlan {
  std::vector<std::shared_ptr<const Workload>> workloads;
  std::vector<const backends::BackendEntry*> backends;  // serial first when present
  std::vector<int> workers;
  std::vector<ScheduleKind> schedules{ScheduleKind::kStatic};
  std::vector<std::uint64_t> chunks{1000};
  int warmup = 1;
  int repeat = 5;
  int hardware_threads = 1;
  bool quiet = false;  // no warnings: another process (the launcher, rank 0) gives them
};

class Runner {
 public:
  Runner(RunPlan plan, std::vector<Reporter*> reporters)
      : plan_(std::move(plan)), reporters_(std::move(reporters)) {}
  // Runs every configuration; returns the number of invalid or failed ones.
  int run(const RunContext& context);

 private:
  std::vector<RunRecord> measure(const Workload& work, const backends::BackendEntry& entry,
                                 int workers, const Schedule& schedule, bool& reports);
  // The schedules (with chunk sizes) that `entry` runs: serial once, chunkless kinds once, kinds
  // the backend cannot do not at all.
  std::vector<Schedule> schedules_for(const backends::BackendEntry& entry) const;
  void warn(const std::string& message) const;
  // Measures, judges and reports one configuration; keeps the baselines for those that follow.
  void run_configuration(const Workload& work, const backends::BackendEntry& entry,
                         const Schedule& schedule, int workers);
  ConfigResult aggregate(const Workload& work, std::vector<RunRecord> records) const;

  RunPlan plan_;
  std::vector<Reporter*> reporters_;
  // Per workload: the serial result and times, the reference for validity and speed-up.
  std::optional<std::uint64_t> serial_result_;
  // Baseline times: median wall time and setup time.
  struct Baseline {
    double median_s;
    double setup_s;
  };
  std::optional<Baseline> serial_;
  std::map<std::string, Baseline> one_worker_;  // per backend and schedule
  int failures_ = 0;
  int progress_index_ = 0;
  int progress_total_ = 0;
};

}  // namespace parbench
