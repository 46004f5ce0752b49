#include "harness/runner.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <fmt/format.h>
#include <algorithm>
#include <cstdio>
#include <set>

#include "harness/aggregate.hpp"
#include "harness/clock.hpp"
#include "harness/errors.hpp"
#include "harness/mechanism.hpp"

namespace parbench {
namespace {

// Progress on stderr: rewritten in place on a terminal that understands it; elsewhere (TERM=dumb,
// a batch job's log) one plain line every 10 s or so, so that a long run shows it is alive without
// flooding the log.
class Progress {
 public:
  explicit Progress(bool quiet) {
    const char* term = std::getenv("TERM");
    const bool dumb = term == nullptr || std::string_view(term) == "dumb";
    mode_ = quiet                                 ? Mode::kOff
            : isatty(STDERR_FILENO) != 0 && !dumb ? Mode::kInPlace
                                                  : Mode::kLines;
  }
  void show(const std::string& text) {
    if (mode_ == Mode::kInPlace) fmt::print(stderr, "\r\033[K{}", text);
    if (mode_ == Mode::kLines && monotonic_s() - last_line_s_ >= line_interval_s()) {
      fmt::print(stderr, "parbench: progress: {}\n", text);
      last_line_s_ = monotonic_s();
    }
  }
  void clear() {
    if (mode_ == Mode::kInPlace) fmt::print(stderr, "\r\033[K");
  }

 private:
  // 10 s; PARBENCH_PROGRESS_INTERVAL_S changes it (tests, very long or very chatty jobs).
  static double line_interval_s() {
    static const double interval = [] {
      const char* text = std::getenv("PARBENCH_PROGRESS_INTERVAL_S");
      return text != nullptr ? std::strtod(text, nullptr) : 10.0;
    }();
    return interval;
  }
  enum class Mode { kOff, kInPlace, kLines } mode_;
  // Shared by every configuration: the first line comes 10 s into the run.
  static inline double last_line_s_ = monotonic_s();
};

RunRecord describe(const Configuration& config) {
  const Workload& work = *config.work;
  const Schedule& schedule = config.schedule;
  RunRecord r;
  r.kernel = work.kernel();
  r.backend = config.entry->name;
  r.ipc = work.mechanism() != nullptr ? work.mechanism()->name() : "none";
  r.schedule = schedule.name();
  r.chunk = schedule.chunk;
  r.workers = config.workers;
  r.threads_per_rank = config.threads_per_rank;
  r.size = work.size();
  r.params = work.params();
  return r;
}

// Releases the mechanism when the configuration ends, however it ends.
struct Bound {
  Mechanism* mechanism;
  ~Bound() {
    if (mechanism != nullptr) mechanism->release();
  }
};

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
  const int repetitions = round == 0 ? plan_.repeat : 1;
  const Workload& work = *config.work;
  const backends::BackendEntry& entry = *config.entry;
  const Schedule& schedule = config.schedule;
  const int workers = config.workers;
  const RunRecord base = describe(config);
  if (entry.relaunch) {
    try {
      if (auto records = entry.relaunch({entry.name, work, workers, config.threads_per_rank,
                                         schedule, plan_.warmup, repetitions, plan_.launch})) {
        for (auto& r : *records) {
          if (round != 0) r.rep = r.round = round;
        }
        return *records;
      }
    } catch (const std::exception& e) {
      RunRecord failed = base;
      failed.error = failure_text(e);
      return {failed};
    }
  }

  Progress progress(plan_.quiet);
  const std::string label =
      fmt::format("[{}/{}] {} {} {} workers={}", progress_index_, configurations_.size(),
                  work.kernel(), entry.name, schedule.name(), workers_text(base));
  std::vector<RunRecord> records;
  const std::unique_ptr<Backend> backend = entry.make();
  // The mechanism's life (harness/mechanism.hpp): made around the backend's start, reset before
  // and finished after every repetition, released after the backend has stopped.
  Mechanism* const mechanism = work.mechanism();
  const bool made_after_start = mechanism != nullptr && ipc::made_after_start(mechanism->need());
  double setup_s = 0.0;
  int timed_rep = 0;  // the repetition under way; 0 during setup and warm-up
  RunRecord failed = base;
  {
    Bound bound{nullptr};
    try {
      progress.show(label + ": setting up");
      if (mechanism != nullptr) mechanism->serve(entry.model);
      if (mechanism != nullptr && !made_after_start) {
        bound.mechanism = mechanism;
        mechanism->make();  // before the workers start, so that forked ones inherit it
      }
      backend->set_threads_per_rank(config.threads_per_rank);
      backend->set_launch(plan_.launch);
      const double t0 = monotonic_s();
      backend->start(work, workers, schedule);
      setup_s = monotonic_s() - t0 + backend->setup_before_start_s();
      reports = backend->reports();
      if (made_after_start) {
        bound.mechanism = mechanism;
        mechanism->make();  // in every rank of the job at once
      }
      const std::string params = work.params();  // the mechanism may have settled some (auto)

      // One repetition: the pre-check or the workers, the mechanism's view of the result.
      struct Repetition {
        RunOutput out;
        double wall_s;
        double cpu_s;
        Measurements measurements;
        std::string problem;
      };
      const auto repeat_once = [&] {
        if (mechanism != nullptr) mechanism->reset();
        Repetition r;
        const double cpu0 = process_cpu_s();
        const double t0_rep = monotonic_s();
        if (const auto settled = work.settle_before_split()) {
          r.out.result = *settled;  // decided in the owner: no worker is woken
        } else {
          r.out = backend->run();
        }
        r.wall_s = r.out.wall_s.value_or(monotonic_s() - t0_rep);
        r.cpu_s = process_cpu_s() - cpu0 + r.out.outside_cpu_s;
        if (mechanism != nullptr) {
          r.out.result = mechanism->finish(r.out.result, r.measurements);
          r.problem = mechanism->problem();
        }
        if (const auto bytes = work.bytes_per_item()) {  // memory kernels: GB/s beside items/s
          r.measurements.push_back(
              {"gbs", static_cast<double>(work.size()) * *bytes / r.wall_s / 1e9});
        }
        return r;
      };

      std::vector<std::uint64_t> warmup_results;
      for (int i = 0; i < plan_.warmup; ++i) {
        progress.show(fmt::format("{}: warm-up {}/{}", label, i + 1, plan_.warmup));
        warmup_results.push_back(repeat_once().out.result);
      }
      for (int rep = 1; rep <= repetitions; ++rep) {
        timed_rep = round == 0 ? rep : round;
        progress.show(round == 0 ? fmt::format("{}: repetition {}/{}", label, rep, plan_.repeat)
                                 : fmt::format("{}: round {}/{}", label, round, plan_.repeat));
        Repetition done = repeat_once();
        RunRecord r = base;
        r.params = params;
        r.rep = timed_rep;
        r.round = round;
        r.setup_s = setup_s;
        r.wall_s = done.wall_s;
        r.cpu_s = done.cpu_s;
        r.result = done.out.result;
        r.nodes = backend->nodes();
        r.worker_hosts = backend->worker_hosts();
        r.worker_cpus = backend->worker_cpus();
        r.worker_reports = std::move(done.out.workers);
        r.measurements = std::move(done.measurements);
        r.error = std::move(done.problem);  // judged wrong already: the row says why
        if (r.error.empty()) r.error = std::move(done.out.problem);  // a backend's judgement
        for (auto& m : done.out.measurements) r.measurements.push_back(std::move(m));
        // A warm-up that computed something else is as much a bug as a wrong repetition, where
        // the result is one exact value (not where an early stop may find another real factor).
        for (const std::uint64_t w : warmup_results) {
          if (work.must_match_serial() && w != r.result)
            r.error = fmt::format("a warm-up run computed {}, this repetition {}", w, r.result);
        }
        records.push_back(std::move(r));
      }
    } catch (const ipc::Unreachable& e) {
      // Refused, not failed: one line, once, from the process that reports; no row.
      if (reports && refused_.insert(e.what()).second)
        fmt::print(stderr, "parbench: refused: {}\n", e.what());
      records.clear();
    } catch (const std::exception& e) {
      // A dead worker, a server gone: the row says so and the run goes on; a bug says it is one.
      failed.rep = timed_rep;
      failed.setup_s = setup_s;
      failed.error = failure_text(e);
      if (setup_s > 0.0) {  // the backend started: where its workers were
        failed.nodes = backend->nodes();
        failed.worker_hosts = backend->worker_hosts();
        failed.worker_cpus = backend->worker_cpus();
      }
      records.push_back(failed);
    }
    backend->stop();
  }  // the mechanism is released here, after the workers are gone
  progress.clear();
  return records;
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
      if (lost != 0 && !work.judges_lost_updates()) {
        r.valid = false;  // the lost ones first: they are why the rest is wrong
        r.error = fmt::format("the {} counter lost {:.0f} of the {:.0f} published", r.ipc, lost,
                              static_cast<double>(r.result) + lost) +
                  (v.error.empty() ? "" : "; " + v.error);
      }
      if (r.valid && serial_result_ && work.must_match_serial() && r.result != *serial_result_) {
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
