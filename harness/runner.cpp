#include "harness/runner.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include <fmt/format.h>

#include "harness/backends/mechanism.hpp"
#include "harness/configuration_run.hpp"
#include "harness/progress.hpp"
#include "harness/records/aggregate.hpp"
#include "harness/records/errors.hpp"

namespace parbench {
namespace {

// The configuration run under a launcher of its own (mpirun) where the backend relaunches; nullopt
// where it runs in this process.
std::optional<std::vector<RunRecord>> relaunched(const Configuration& config, const RunPlan& plan,
                                                 int round) {
  const backends::BackendEntry& entry = *config.entry;
  const int repetitions = round == 0 ? plan.repeat : 1;
  try {
    auto records = entry.relaunch({entry.name, *config.work, config.workers,
                                   config.threads_per_rank, config.schedule, plan.warmup,
                                   repetitions, plan.backend_options->of(entry)});
    if (records && round != 0) {
      for (auto& r : *records) r.rep = r.round = round;
    }
    return records;
  } catch (const std::exception& e) {
    RunRecord failed = describe(config);
    failed.error = failure_text(e);
    return std::vector<RunRecord>{failed};
  }
}

}  // namespace

std::vector<Schedule> Runner::schedules_for(const backends::BackendEntry& entry) {
  if (backends::is_reference(entry)) return {Schedule{ScheduleKind::kStatic, 0}};
  std::vector<Schedule> list;
  for (const ScheduleKind kind : plan_.schedules) {
    if (std::find(entry.schedules.begin(), entry.schedules.end(), kind) == entry.schedules.end()) {
      std::vector<std::string> names;
      for (const ScheduleKind k : entry.schedules) names.push_back(schedule_name(k));
      notes_.push_back(fmt::format("skipping {} with schedule {}: it supports {}", entry.name,
                                   schedule_name(kind), fmt::join(names, ", ")));
      continue;
    }
    if (kind == ScheduleKind::kStatic || kind == ScheduleKind::kAuto) {
      list.push_back({kind, 0});
      continue;
    }
    for (const std::uint64_t chunk : plan_.chunks) list.push_back({kind, chunk});
  }
  return list;
}

std::vector<RunRecord> Runner::measure(const Configuration& config, bool& reports, int round) {
  if (config.entry->relaunch) {
    if (auto records = relaunched(config, plan_, round)) return std::move(*records);
  }
  Progress progress(plan_.quiet);
  const std::string label = fmt::format(
      "[{}/{}] {} {} {} workers={}", progress_index_, configurations_.size(), config.work->kernel(),
      config.entry->name, config.schedule.name(), workers_text(describe(config)));
  Measured measured = measure_here(config, plan_, round, progress, label);
  reports = measured.reports;
  // Refused, not failed: one line, once, from the process that reports.
  if (measured.refused && reports && refused_.insert(*measured.refused).second)
    fmt::print(stderr, "parbench: refused: {}\n", *measured.refused);
  progress.clear();
  return std::move(measured.records);
}

ConfigResult Runner::aggregate(const Workload& work, std::vector<RunRecord> records) const {
  for (auto& r : records) {
    // Judged here, in the process that reports, also for rows that come back from mpirun.
    if (r.error.empty()) {
      const Verdict v = work.judge(r.result);
      r.value = v.value;
      r.valid = v.valid;
      r.error = v.error;
      const double lost = find_measurement(r.measurements, "lost_updates").value_or(0);
      if (lost != 0 && !work.traits().judges_lost_updates) {
        r.valid = false;  // the lost ones first: they are why the rest is wrong
        r.error = fmt::format("the {} counter lost {:.0f} of the {:.0f} published", r.ipc, lost,
                              static_cast<double>(r.result) + lost) +
                  (v.error.empty() ? "" : "; " + v.error);
      }
      if (r.valid && serial_result_ && work.traits().must_match_serial &&
          r.result != *serial_result_) {
        r.valid = false;
        r.error =
            fmt::format("result {} differs from the serial result {}", r.result, *serial_result_);
      }
    } else {
      r.valid = false;
    }
  }
  std::optional<Baseline> baseline = serial_;
  if (!baseline && !records.empty() && one_worker_.contains(baseline_key(records.front())))
    baseline = one_worker_.at(baseline_key(records.front()));
  return aggregate_rows(std::move(records), baseline);
}

void Runner::warn(const std::string& message) const {
  if (!plan_.quiet) fmt::print(stderr, "parbench: warning: {}\n", message);
}

void Runner::warn_about_idle_workers(const ConfigResult& result) const {
  const RunRecord& first = result.first();
  const int threads = total_threads(first);  // one load per thread, also inside ranks
  if (first.size < static_cast<std::uint64_t>(threads)) return;
  std::size_t most_idle = 0;
  for (const auto& r : result.reps) {
    const auto idle =
        static_cast<std::size_t>(std::count_if(r.worker_reports.begin(), r.worker_reports.end(),
                                               [](const auto& w) { return w.items == 0; }));
    most_idle = std::max(most_idle, idle);
  }
  if (most_idle == 0) return;
  warn(
      fmt::format("{} {} workers={}: up to {} of the {} {} did no work in a repetition "
                  "(worker_items in the "
                  "CSV); speed-up and efficiency count every worker asked for",
                  first.kernel, first.backend, workers_text(first), most_idle, threads,
                  first.threads_per_rank == 1 ? "workers" : "threads"));
}

void Runner::note_redelivery(const ConfigResult& result) const {
  std::uint64_t chunks = 0;
  double lost_s = 0.0;
  int repetitions = 0;
  for (const auto& r : result.reps) {
    const double redelivered = find_measurement(r.measurements, "redelivered").value_or(0);
    if (redelivered == 0) continue;
    chunks += static_cast<std::uint64_t>(redelivered);
    lost_s += find_measurement(r.measurements, "lost_s").value_or(0.0);
    ++repetitions;
  }
  if (chunks == 0) return;
  const RunRecord& first = result.first();
  warn(fmt::format(
      "{} {} workers={}: a worker died in {} repetition(s); its {} chunk(s) were redone "
      "by others, losing {:.3f} s (redelivered and lost_s in the CSV's measurements)",
      first.kernel, first.backend, workers_text(first), repetitions, chunks, lost_s));
}

void Runner::run_configuration(const Configuration& config,
                               const std::vector<Reporter*>& reporters) {
  bool reports = true;
  std::vector<RunRecord> records = measure(config, reports);
  if (!reports || records.empty()) return;  // another rank reports; or refused
  report_configuration(config, std::move(records), reporters);
}

void Runner::report_configuration(const Configuration& config, std::vector<RunRecord> records,
                                  const std::vector<Reporter*>& reporters) {
  if (config.family != baselines_of_) {  // baselines belong to one workload
    baselines_of_ = config.family;
    serial_result_.reset();
    serial_.reset();
    one_worker_.clear();
  }
  const Workload& work = *config.work;
  const backends::BackendEntry& entry = *config.entry;
  ConfigResult result = aggregate(work, std::move(records));
  if (!result.valid) ++failures_;
  if (result.valid) warn_about_idle_workers(result);
  note_redelivery(result);
  if (result.valid && backends::is_reference(entry)) {
    serial_result_ = result.first().result;
    serial_ = Baseline{result.wall.median, result.first().setup_s};
  }
  if (result.valid && total_threads(result.first()) == 1) {
    one_worker_[baseline_key(result.first())] =
        Baseline{result.wall.median, result.first().setup_s};
  }
  if (plan_.spread_warnings && result.wall.count > 1 && result.wall.mdape_pct > 5.0) {
    const RunRecord& r = result.first();
    if (plan_.hardware_threads > 0 && total_threads(r) > plan_.hardware_threads) {
      ++oversubscribed_spread_;  // the run asked for it: said once, at the end
    } else if (++spread_warnings_ > kSpreadWarningsNamed) {
      ++more_spread_;  // a machine busy for minutes: the first few named, the rest counted
    } else {
      warn(fmt::format(
          "{} {} ipc={} schedule={}{} workers={} ({}): spread {:.1f}% is over 5%; the machine "
          "is busy or the runs are too short (raise the size or --repeat)",
          work.kernel(), entry.name, r.ipc, r.schedule,
          r.chunk > 0 ? fmt::format(" chunk={}", r.chunk) : std::string(), workers_text(r),
          r.params.empty() ? fmt::format("size {}", r.size)
                           : fmt::format("size {}, {}", r.size, r.params),
          result.wall.mdape_pct));
    }
  }
  for (auto* r : reporters) r->report(result);
}

Runner::Runner(RunPlan plan) : plan_(std::move(plan)) {
  std::set<std::pair<std::string, int>> warned_oversubscribed;
  // By threads in all, in the plan's order: what runs that many.
  std::vector<std::pair<int, std::vector<std::string>>> oversubscribed;
  std::set<std::pair<std::string, std::string>> warned_unreachable;
  std::vector<std::vector<Schedule>> schedules;  // per backend
  for (const auto* entry : plan_.backends) schedules.push_back(schedules_for(*entry));
  for (const auto& work : plan_.workloads) {
    for (std::size_t b = 0; b < plan_.backends.size(); ++b) {
      const auto* entry = plan_.backends[b];
      const Mechanism* mechanism = work->mechanism();
      if (mechanism != nullptr && !ipc::reaches(mechanism->need(), entry->model)) {
        if (warned_unreachable.insert({entry->name, mechanism->name()}).second) {
          unreachable_.push_back(
              {fmt::format(
                   "skipping {} with ipc {}: it needs {}, and that backend's workers are {}",
                   entry->name, mechanism->name(), ipc::describe(mechanism->need()),
                   ipc::describe(entry->model.workers)),
               mechanism->chosen_as_group()});
        }
        continue;
      }
      // The reference has one worker whatever the list says.
      const std::vector<int> counts =
          backends::is_reference(*entry) ? std::vector<int>{1} : plan_.workers;
      // Threads inside the ranks only for the hybrids; one thread per worker elsewhere.
      const std::vector<int> inner = entry->model.workers == ipc::Workers::kRanksOfThreads
                                         ? plan_.threads_per_rank
                                         : std::vector<int>{1};
      for (const Schedule& schedule : schedules[b]) {
        for (const int workers : counts) {
          for (const int asked : inner) {
            const int on_host = plan_.local_ranks > 0 ? plan_.local_ranks : workers;
            const int threads = asked > 0 ? asked : std::max(1, plan_.usable_cpus / on_host);
            const int total = workers * threads;
            if (plan_.hardware_threads > 0 && total > plan_.hardware_threads &&
                warned_oversubscribed.insert({entry->name, total}).second) {
              auto it = std::find_if(oversubscribed.begin(), oversubscribed.end(),
                                     [total](const auto& o) { return o.first == total; });
              if (it == oversubscribed.end()) it = oversubscribed.insert(it, {total, {}});
              it->second.push_back(fmt::format(
                  "{} at {}", entry->name,
                  threads == 1 ? fmt::format("{} workers", workers)
                               : fmt::format("{} ranks x {} threads", workers, threads)));
            }
            // The reference runs one thread whatever the plan's counts say.
            const int sized_for = backends::is_reference(*entry) ? 1 : total;
            const Workload* run = work.get();
            const Workload* family = work.get();
            if (auto sized = work->for_threads(sized_for)) {
              run = sized.get();
              if (sized->size() != work->size()) family = run;  // other work: other baselines
              sized_.push_back(std::move(sized));
            }
            configurations_.push_back({run, entry, schedule, workers, threads, family});
          }
        }
      }
    }
  }
  for (const auto& [total, which] : oversubscribed) {
    notes_.push_back(
        fmt::format("{} threads outnumber the {} hardware threads: {} {} "
                    "oversubscription",
                    total, plan_.hardware_threads, fmt::join(which, ", "),
                    which.size() == 1 ? "measures" : "measure"));
  }
}

int Runner::run(const RunContext& context, const std::vector<Reporter*>& reporters) {
  for (const auto& note : notes_) warn(note);
  // Pairs a list asks for that cannot run: one line says how many, --verbose names each. A variant
  // that came from `--ipc all` ("every one that can run here") skipped where it cannot run is what
  // was asked for: not counted.
  const auto named = std::count_if(unreachable_.begin(), unreachable_.end(),
                                   [](const Unreachable& u) { return !u.from_all; });
  if (plan_.verbose) {
    for (const auto& u : unreachable_) warn(u.note);
  } else if (named > 0) {
    warn(
        fmt::format("{} backend and ipc pair{} skipped: the mechanism cannot reach that backend's "
                    "workers (`parbench list` shows where each reaches; --verbose names them)",
                    named, named == 1 ? "" : "s"));
  }
  oversubscribed_spread_ = 0;
  spread_warnings_ = 0;
  more_spread_ = 0;
  for (auto* r : reporters) r->begin(context);
  failures_ = 0;
  progress_index_ = 0;
  baselines_of_ = nullptr;
  if (plan_.interleave) {
    run_interleaved(reporters);
  } else {
    for (const Configuration& config : configurations_) {
      ++progress_index_;
      run_configuration(config, reporters);
    }
  }
  if (more_spread_ > 0) {
    warn(
        fmt::format("spread over 5% in {} more configuration{} (each has its spread in the CSV "
                    "and the table): the machine is busy or the runs are too short",
                    more_spread_, more_spread_ == 1 ? "" : "s"));
  }
  if (oversubscribed_spread_ > 0) {
    warn(
        fmt::format("spread over 5% in {} configuration{} with more threads than hardware "
                    "threads: expected when workers take turns on the CPUs",
                    oversubscribed_spread_, oversubscribed_spread_ == 1 ? "" : "s"));
  }
  for (auto* r : reporters) r->end();
  return failures_;
}

void Runner::run_interleaved(const std::vector<Reporter*>& reporters) {
  const std::size_t n = configurations_.size();
  std::vector<std::vector<RunRecord>> records(n);
  std::vector<bool> reports(n, true);
  std::vector<bool> finished(n, false);  // failed or refused: not run again
  for (int round = 1; round <= plan_.repeat; ++round) {
    progress_index_ = 0;
    for (std::size_t i = 0; i < n; ++i) {
      ++progress_index_;
      if (finished[i]) continue;
      bool rank_reports = true;
      std::vector<RunRecord> got = measure(configurations_[i], rank_reports, round);
      reports[i] = rank_reports;
      finished[i] = got.empty() || std::any_of(got.begin(), got.end(),
                                               [](const RunRecord& r) { return !r.error.empty(); });
      for (auto& r : got) records[i].push_back(std::move(r));
    }
  }
  // Reported in the order of the plan once every round is done, the baselines as without rounds.
  for (std::size_t i = 0; i < n; ++i) {
    if (reports[i] && !records[i].empty())
      report_configuration(configurations_[i], std::move(records[i]), reporters);
  }
}

}  // namespace parbench
