#include "harness/configuration_run.hpp"

#include <memory>

#include <fmt/format.h>

#include "harness/backends/backend_options.hpp"
#include "harness/backends/opt_in_hooks.hpp"
#include "harness/mechanism_life.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"

namespace parbench {
namespace {

// One warm-up or timed repetition as it ran: the backend's output, its times, and the mechanism's
// view of the result.
struct Repetition {
  RunOutput out;
  double wall_s = 0.0;
  double cpu_s = 0.0;
  Measurements measurements;
  std::string problem;
};

class ConfigurationRun {
 public:
  ConfigurationRun(const Configuration& config, const RunPlan& plan, int round, Progress& progress,
                   const std::string& label)
      : config_(config),
        work_(*config.work),
        plan_(plan),
        round_(round),
        progress_(progress),
        label_(label),
        base_(describe(config)),
        backend_(config.entry->make()),
        mechanism_(config.work->mechanism()) {}

  // Leaves the backend stopped; the mechanism goes with this object, after the workers.
  Measured run() {
    Measured measured;
    try {
      start(measured.reports);
      repeat(warm_up(), measured.records);
    } catch (const ipc::Unreachable& e) {
      measured.refused = e.what();  // refused, not failed: no row
      measured.records.clear();
    } catch (const std::exception& e) {
      // A dead worker, a server gone: the row says so and the run goes on; a bug says it is one.
      measured.records.push_back(failure(e));
    }
    backend_->stop();
    return measured;
  }

 private:
  void start(bool& reports) {
    progress_.show(label_ + ": setting up");
    mechanism_.before_start(config_.entry->model);
    auto* const ranks = dynamic_cast<backends::RanksBackend*>(backend_.get());
    if (ranks != nullptr) ranks->set_threads_per_rank(config_.threads_per_rank);
    if (auto* takes = dynamic_cast<backends::TakesOptions*>(backend_.get()))
      takes->take_options(plan_.backend_options->of(*config_.entry));
    const double t0 = monotonic_s();
    backend_->start(work_, config_.workers, config_.schedule);
    setup_s_ = monotonic_s() - t0 + (ranks != nullptr ? ranks->setup_before_start_s() : 0.0);
    reports = ranks == nullptr || ranks->reports();
    mechanism_.after_start();
    params_ = work_.params();  // the mechanism may have settled some (auto)
  }

  std::vector<std::uint64_t> warm_up() {
    std::vector<std::uint64_t> results;
    for (int i = 0; i < plan_.warmup; ++i) {
      progress_.show(fmt::format("{}: warm-up {}/{}", label_, i + 1, plan_.warmup));
      results.push_back(repeat_once().out.result);
    }
    return results;
  }

  void repeat(const std::vector<std::uint64_t>& warmups, std::vector<RunRecord>& records) {
    const int repetitions = round_ == 0 ? plan_.repeat : 1;
    for (int rep = 1; rep <= repetitions; ++rep) {
      timed_rep_ = round_ == 0 ? rep : round_;
      progress_.show(round_ == 0 ? fmt::format("{}: repetition {}/{}", label_, rep, plan_.repeat)
                                 : fmt::format("{}: round {}/{}", label_, round_, plan_.repeat));
      records.push_back(record_of(repeat_once(), warmups));
    }
  }

  // The pre-check or the workers, then the mechanism's view of the result.
  Repetition repeat_once() {
    mechanism_.reset();
    Repetition r;
    const double cpu0 = process_cpu_s();
    const double t0 = monotonic_s();
    if (const auto settled = work_.settle_before_split()) {
      r.out.result = *settled;  // decided in the owner: no worker is woken
    } else {
      r.out = backend_->run();
    }
    r.wall_s = r.out.wall_s.value_or(monotonic_s() - t0);
    r.cpu_s = process_cpu_s() - cpu0 + r.out.outside_cpu_s;
    r.out.result = mechanism_.finish(r.out.result, r.measurements);
    r.problem = mechanism_.problem();
    if (const auto bytes = work_.traits().bytes_per_item) {  // memory kernels: GB/s beside items/s
      r.measurements.push_back(
          {"gbs", static_cast<double>(work_.size()) * *bytes / r.wall_s / 1e9});
    }
    return r;
  }

  // A timed repetition's row. What only the result can tell is judged later, in the process that
  // reports; what the mechanism, the backend or the warm-ups found wrong is its error already.
  RunRecord record_of(Repetition done, const std::vector<std::uint64_t>& warmups) const {
    RunRecord r = base_;
    r.params = params_;
    r.rep = timed_rep_;
    r.round = round_;
    r.setup_s = setup_s_;
    r.wall_s = done.wall_s;
    r.cpu_s = done.cpu_s;
    r.result = done.out.result;
    where_it_ran(r);
    r.worker_reports = std::move(done.out.workers);
    r.measurements = std::move(done.measurements);
    r.error = std::move(done.problem);  // judged wrong already: the row says why
    if (r.error.empty()) r.error = std::move(done.out.problem);  // a backend's judgement
    for (auto& m : done.out.measurements) r.measurements.push_back(std::move(m));
    // A warm-up that computed something else is as much a bug as a wrong repetition, where the
    // result is one exact value (not where an early stop may find another real factor).
    for (const std::uint64_t w : warmups) {
      if (work_.traits().must_match_serial && w != r.result)
        r.error = fmt::format("a warm-up run computed {}, this repetition {}", w, r.result);
    }
    return r;
  }

  RunRecord failure(const std::exception& e) const {
    RunRecord failed = base_;
    failed.rep = timed_rep_;
    failed.setup_s = setup_s_;
    failed.error = failure_text(e);
    if (setup_s_ > 0.0) where_it_ran(failed);  // the backend started: where its workers were
    return failed;
  }

  void where_it_ran(RunRecord& r) const {
    r.nodes = backend_->nodes();
    r.worker_hosts = backend_->worker_hosts();
    r.worker_cpus = backend_->worker_cpus();
  }

  const Configuration& config_;
  const Workload& work_;
  const RunPlan& plan_;
  const int round_;
  Progress& progress_;
  const std::string& label_;
  const RunRecord base_;
  const std::unique_ptr<Backend> backend_;
  // Declared after backend_, so released before the backend object goes, and after run() stopped
  // it.
  MechanismLife mechanism_;
  std::string params_;  // as the mechanism settled them
  double setup_s_ = 0.0;
  int timed_rep_ = 0;  // the repetition under way; 0 during setup and warm-up
};

}  // namespace

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

Measured measure_here(const Configuration& config, const RunPlan& plan, int round,
                      Progress& progress, const std::string& label) {
  ConfigurationRun run(config, plan, round, progress, label);
  return run.run();
}

}  // namespace parbench
