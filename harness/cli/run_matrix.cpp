// The engine behind `run` and `sweep`: options -> validated plan -> reporters -> runner.
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

#include "harness/backends/launch_env.hpp"
#include "harness/backends/mechanism.hpp"
#include "harness/backends/number_options.hpp"
#include "harness/backends/parse.hpp"
#include "harness/backends/registry.hpp"
#include "harness/calibration.hpp"
#include "harness/cli/run_matrix.hpp"
#include "harness/collect_fingerprint.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"
#include "harness/reporters/console_reporter.hpp"
#include "harness/reporters/csv_reporter.hpp"
#include "harness/reporters/json_reporter.hpp"
#include "harness/reporters/output_target.hpp"
#include "harness/runner.hpp"
#include "harness/workloads/kernel_spec.hpp"
#include "ipc/cleanup.hpp"

namespace parbench::cli {
namespace {

std::vector<const backends::BackendEntry*> resolve_backends(const RunOptions& o) {
  const auto spans_ranks = [](const backends::BackendEntry& e) {
    return ipc::launched_ranks(e.model.workers);
  };
  std::vector<const backends::BackendEntry*> list;
  for (const auto& name : o.backends) {
    const auto* entry = backends::find_backend(name);
    if (entry == nullptr) {
      throw UsageError(fmt::format("unknown backend '{}' (known: {})", name,
                                   fmt::join(backends::backend_names(), ", ")));
    }
    const backends::Availability a = entry->availability();
    if (!a.runnable)
      throw UsageError(fmt::format("backend {} cannot run here: {}", name, a.detail));
    if (std::find(list.begin(), list.end(), entry) == list.end()) list.push_back(entry);
  }
  if (inside_mpi_launch()) {
    // Under mpirun/srun every rank runs the same plan; only a backend whose workers are the
    // launched ranks spans them.
    for (const auto* entry : list) {
      if (!spans_ranks(*entry))
        throw UsageError(
            fmt::format("under mpirun or srun backend {} cannot run: its workers are "
                        "{}, not the launched ranks",
                        entry->name, ipc::describe(entry->model.workers)));
    }
  }
  if (o.backends.empty()) {
    for (const auto& entry : backends::all_backends()) {
      // The filter first: a backend left out is never asked (its probe may be slow).
      if (entry.in_default_matrix && entry.availability().runnable &&
          (!inside_mpi_launch() || spans_ranks(entry)))
        list.push_back(&entry);
    }
  }
  // The reference first: every other backend's result and speed-up is compared with it.
  std::stable_partition(list.begin(), list.end(),
                        [](const auto* e) { return backends::is_reference(*e); });
  return list;
}

// Every --ipc name must be known to a kernel of the run; each kernel then takes its own kind's.
void check_ipc_names(const RunOptions& o) {
  const CLI::Option* option =
      o.command != nullptr ? o.command->get_option_no_throw("--ipc") : nullptr;
  if (option == nullptr || option->count() == 0) return;
  std::vector<std::string> known;
  std::vector<std::string> users;
  for (const auto& spec : o.specs) {
    if (std::find(o.kernels.begin(), o.kernels.end(), spec->name()) == o.kernels.end()) continue;
    const auto names = spec->ipc_names();
    if (!names.empty()) users.push_back(spec->name());
    for (const auto& n : names) {
      if (std::find(known.begin(), known.end(), n) == known.end()) known.push_back(n);
    }
  }
  if (users.empty()) return;  // a foreign option: warned about with the others
  for (const auto& name : option->as<std::vector<std::string>>()) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw UsageError(
          fmt::format("unknown ipc variant '{}' for {} (known: {}; see `parbench list`)", name,
                      fmt::join(users, ", "), fmt::join(known, ", ")));
    }
  }
}

std::vector<std::shared_ptr<const Workload>> resolve_workloads(const RunOptions& o) {
  check_ipc_names(o);
  std::vector<std::shared_ptr<const Workload>> list;
  for (const auto& name : o.kernels) {
    const auto it = std::find_if(o.specs.begin(), o.specs.end(),
                                 [&](const auto& s) { return s->name() == name; });
    if (it == o.specs.end()) {
      std::vector<std::string> known;
      for (const auto& spec : o.specs) known.push_back(spec->name());
      throw UsageError(
          fmt::format("unknown kernel '{}' (known: {})", name, fmt::join(known, ", ")));
    }
    for (auto& w : (*it)->workloads()) list.push_back(std::move(w));
  }
  return list;
}

// --workers as given; when it is not, and one kernel runs that has worker counts of its own (count
// --increments book: the book's 4), those.
std::vector<std::string> default_workers(const RunOptions& o) {
  if ((o.workers_option != nullptr && o.workers_option->count() > 0) || o.kernels.size() != 1)
    return o.workers;
  for (const auto& spec : o.specs) {
    if (spec->name() != o.kernels.front()) continue;
    if (auto own = spec->default_workers(); !own.empty()) return own;
  }
  return o.workers;
}

std::string make_run_id() {
  std::random_device rd;
  return fmt::format("{:08x}", rd());
}

void warn_about_machine(const Fingerprint& m) {
  if (m.build_type != "Release") {
    fmt::print(stderr,
               "parbench: warning: this is a {} build; timings are only meaningful from a Release "
               "build (scripts/bench)\n",
               m.build_type);
  }
  if (m.governor != "unknown" && m.governor != "performance") {
    fmt::print(
        stderr,
        "parbench: warning: CPU governor is '{}', not 'performance': clock changes add noise\n",
        m.governor);
  }
}

void echo_plan(std::FILE* out, const RunPlan& plan, const RunOptions& o, const Fingerprint& m) {
  fmt::print(out, "parbench run\n");
  // One line per kernel setting, its mechanisms listed together (not one line per variant).
  std::vector<std::pair<std::string, std::vector<std::string>>> settings;
  for (const auto& w : plan.workloads) {
    const std::string setting =
        fmt::format("{} (size {}, {})", w->kernel(), w->size(), w->params());
    auto it = std::find_if(settings.begin(), settings.end(),
                           [&](const auto& s) { return s.first == setting; });
    if (it == settings.end()) it = settings.insert(settings.end(), {setting, {}});
    if (const Mechanism* mechanism = w->mechanism()) it->second.push_back(mechanism->name());
  }
  for (const auto& [setting, ipcs] : settings) {
    fmt::print(out, "  kernel     = {}{}\n", setting,
               ipcs.empty() ? std::string() : fmt::format(", ipc {}", fmt::join(ipcs, ", ")));
  }
  std::vector<std::string> names;
  for (const auto* b : plan.backends) names.push_back(b->name);
  const std::string threads = m.usable_cpus == m.logical_cpus
                                  ? fmt::format("hardware threads: {}", m.logical_cpus)
                                  : fmt::format("hardware threads: {}, {} usable by this process",
                                                m.logical_cpus, m.usable_cpus);
  fmt::print(out, "  backends   = {}\n  workers    = {} ({})\n", fmt::join(names, ", "),
             fmt::join(plan.workers, ", "), threads);
  std::vector<std::string> schedules;
  for (const auto kind : plan.schedules) schedules.push_back(schedule_name(kind));
  fmt::print(out, "  schedules  = {} (chunks: {})\n", fmt::join(schedules, ", "),
             fmt::join(plan.chunks, ", "));
  fmt::print(
      out, "  warmup     = {}\n  repeat     = {}{}\n", plan.warmup, plan.repeat,
      plan.interleave ? " (interleaved: one per round, backends started anew each round)" : "");
  fmt::print(out, "  csv        = {}\n  json       = {}\n", o.csv.empty() ? "(none)" : o.csv,
             o.json.empty() ? "(none)" : o.json);
  fmt::print(out, "  build      = {} {} [{}]\n", m.build_type, m.compiler, m.cxx_flags);
  std::fflush(out);
}

// Options of a kernel that is not part of the run do nothing: say so rather than ignore them.
void warn_about_foreign_options(const RunOptions& o) {
  if (o.command == nullptr) return;
  for (const auto& spec : o.specs) {
    if (std::find(o.kernels.begin(), o.kernels.end(), spec->name()) != o.kernels.end()) continue;
    const CLI::App* group = o.command->get_option_group(spec->name());
    for (const CLI::Option* option : group->get_options()) {
      if (option->count() == 0) continue;
      fmt::print(stderr,
                 "parbench: warning: {} is an option of the {} kernel, which this run does not "
                 "include (--kernel {}); it is ignored\n",
                 option->get_name(), spec->name(), spec->name());
    }
  }
}

// --seed is shared by the kernels that draw random numbers (seed_option.hpp), so no kernel's group
// owns it: it was used when some workload's params record one of the given seeds.
void warn_about_unused_seed(const RunOptions& o,
                            const std::vector<std::shared_ptr<const Workload>>& workloads) {
  const CLI::Option* option =
      o.command != nullptr ? o.command->get_option_no_throw("--seed") : nullptr;
  if (option == nullptr || option->count() == 0) return;
  for (const auto& w : workloads) {
    const std::string fields = ";" + w->params() + ";";
    for (const auto& given : option->results()) {
      if (fields.find(";seed=" + given + ";") != std::string::npos) return;
    }
  }
  fmt::print(stderr,
             "parbench: warning: --seed is an option of pi and of fill's random rows (--fill "
             "random), which this run does not include; it is ignored\n");
}

// The private temporary directories (MPI launches, Redis, brokers) go to $TMPDIR: a missing one
// would fail every configuration later, so it is bad input now.
void check_tmpdir() {
  const char* dir = std::getenv("TMPDIR");
  if (dir == nullptr || *dir == '\0') return;
  struct stat st {};
  if (::stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || ::access(dir, W_OK | X_OK) != 0) {
    throw UsageError(
        fmt::format("TMPDIR={} is not a writable directory (parbench keeps its temporary files "
                    "there)",
                    dir));
  }
}

// Counts what the file reporters kept, for the line printed if an interrupt ends the run.
class InterruptNote final : public Reporter {
 public:
  explicit InterruptNote(std::vector<std::string> outputs) : outputs_(std::move(outputs)) {}
  void begin(const RunContext& /*context*/) override {
    ipc::set_interrupt_note(outputs_.empty()
                                ? ""
                                : "parbench: interrupted before any configuration finished; "
                                  "nothing was written");
  }
  void report(const ConfigResult& result) override {
    ++configurations_;
    rows_ += result.reps.size();
    if (outputs_.empty()) return;
    ipc::set_interrupt_note(
        fmt::format("parbench: interrupted: kept the {} configuration(s) that finished ({} rows) "
                    "in {}",
                    configurations_, rows_, fmt::join(outputs_, " and ")));
  }
  void end() override { ipc::set_interrupt_note(""); }

 private:
  std::vector<std::string> outputs_;
  int configurations_ = 0;
  std::size_t rows_ = 0;
};

}  // namespace

int run_matrix(const RunOptions& o) {
  const bool mpi_child = !o.records_out.empty();
  const bool is_reporting_rank = launch_rank() == 0;
  // Outputs first: a bad one is refused before anything else is looked at, and never created.
  std::optional<OutputTarget> csv;
  std::optional<OutputTarget> json;
  if (o.csv_option != nullptr && o.csv_option->count() > 0) csv = resolve_output(o.csv, "--csv");
  if (o.json_option != nullptr && o.json_option->count() > 0)
    json = resolve_output(o.json, "--json");
  if (csv && json) refuse_same_output(*csv, *json);
  check_tmpdir();

  Fingerprint machine = collect_fingerprint();
  RunPlan plan;
  plan.workloads = resolve_workloads(o);
  plan.backends = resolve_backends(o);
  // One rule for every list, named or default: a pair whose mechanism cannot reach the backend's
  // workers is skipped with a note (the runner's), and only a variant the user named that reaches
  // none of the backends of the run is refused before anything runs.
  for (const auto& w : plan.workloads) {
    const Mechanism* m = w->mechanism();
    if (m == nullptr || m->chosen_as_group()) continue;
    const bool reached =
        std::any_of(plan.backends.begin(), plan.backends.end(),
                    [&](const auto* b) { return ipc::reaches(m->need(), b->model); });
    if (reached) continue;
    if (plan.backends.size() == 1) {
      const auto* b = plan.backends.front();
      throw UsageError(fmt::format(
          "ipc variant {} cannot run on backend {}: it needs {}, and its workers are {} (see "
          "`parbench list`)",
          m->name(), b->name, ipc::describe(m->need()), ipc::describe(b->model.workers)));
    }
    std::vector<std::string> names;
    for (const auto* b : plan.backends) names.push_back(b->name);
    throw UsageError(fmt::format(
        "ipc variant {} cannot run on any of the backends {}: it needs {} (see `parbench list`)",
        m->name(), fmt::join(names, ", "), ipc::describe(m->need())));
  }
  // Under a user's mpirun the rank's binding is not the node's size, and the launcher placed the
  // ranks: no oversubscription warning there.
  plan.hardware_threads = inside_mpi_launch() ? 0 : machine.usable_cpus;
  plan.warmup = o.warmup;
  plan.repeat = o.repeat;
  plan.verbose = o.verbose;
  plan.spread_warnings = !o.no_spread_warnings;
  plan.interleave = o.interleave && !mpi_child;  // a launched job runs one round's repetition
  plan.workers = parse_workers(default_workers(o), machine.usable_cpus);
  plan.threads_per_rank.clear();
  for (const auto& t : o.threads_per_rank) {
    plan.threads_per_rank.push_back(
        t == "auto" ? 0 : parse_small_int(t, "--threads-per-rank", 1, 4096));
  }
  plan.usable_cpus = machine.usable_cpus;
  plan.local_ranks = launch_local_size();
  if (o.command != nullptr) o.backend_options->after_parse(*o.command, o.backends);
  plan.backend_options = o.backend_options;
  plan.schedules.clear();
  for (const auto& name : o.schedules) plan.schedules.push_back(*schedule_from_name(name));
  plan.chunks.clear();
  for (const auto& chunk : o.chunks) plan.chunks.push_back(parse_count(chunk, "--chunk"));
  plan.quiet = mpi_child || !is_reporting_rank;
  if (o.adjust_plan) o.adjust_plan(plan);
  if (inside_mpi_launch()) {
    const int ranks = launch_size();
    if (ranks <= 0)
      throw UsageError("started by an MPI launcher that does not say how many ranks it started");
    plan.workers = {ranks};  // every rank is a worker
  }
  Runner runner(std::move(plan));
  if (runner.configurations().empty()) {
    throw UsageError(
        fmt::format("nothing to run: {} (see `parbench list`)", fmt::join(runner.notes(), "; ")));
  }

  if (o.list_configurations) {  // one line each: its number, a tab, what it runs
    if (!is_reporting_rank) return 0;
    std::size_t n = 0;
    for (const Configuration& c : runner.configurations()) {
      const Mechanism* m = c.work->mechanism();
      fmt::print("{}\t{} (size {}, {}) {} {} {}{} workers={}{}\n", ++n, c.work->kernel(),
                 c.work->size(), c.work->params(), c.entry->name, m != nullptr ? m->name() : "none",
                 c.schedule.name(),
                 c.schedule.kind == ScheduleKind::kStatic || c.schedule.kind == ScheduleKind::kAuto
                     ? ""
                     : fmt::format(":{}", c.schedule.chunk),
                 c.workers, c.threads_per_rank > 1 ? fmt::format("x{}", c.threads_per_rank) : "");
    }
    return 0;
  }
  if (!o.configuration.empty()) {
    const int count = static_cast<int>(runner.configurations().size());
    const int n = parse_small_int(o.configuration, "--configuration", 1, 1 << 30);
    if (n > count)
      throw UsageError(
          fmt::format("--configuration {}: the plan has {} configuration(s)", n, count));
    runner.keep_only(static_cast<std::size_t>(n - 1));
  }
  if (is_reporting_rank && !mpi_child) {  // the input is good
    warn_about_foreign_options(o);
    warn_about_unused_seed(o, runner.plan().workloads);
  }
  // Measured once the plan is valid and before any output is created, by the process that writes
  // the rows (not by every rank), and only where rows record it (a CSV or JSON); a cache keeps it
  // per machine and boot, so a run of milliseconds does not pay for it each time.
  if (is_reporting_rank && !mpi_child && (csv || json)) calibrate(machine, o.recalibrate);

  // Reporters are created (and their files opened) before anything runs: a bad path costs nothing.
  std::vector<std::unique_ptr<Reporter>> owned;
  const bool stdout_taken = (csv && csv->kind == OutputTarget::Kind::kStdout) ||
                            (json && json->kind == OutputTarget::Kind::kStdout);
  std::ostream& human = stdout_taken ? std::cerr : std::cout;
  if (is_reporting_rank) {
    if (mpi_child) {
      owned.push_back(std::make_unique<CsvReporter>(o.records_out));
    } else {
      std::size_t ipc_width = 4;  // "none"
      for (const auto& work : runner.plan().workloads) {
        if (const Mechanism* m = work->mechanism())
          ipc_width = std::max(ipc_width, m->name().size());
      }
      owned.push_back(std::make_unique<ConsoleReporter>(human, ipc_width));
      // The kernels' own tables after the rows (verify: the book's).
      for (const auto& spec : o.specs) {
        if (std::find(o.kernels.begin(), o.kernels.end(), spec->name()) == o.kernels.end())
          continue;
        if (auto table = spec->make_table(human)) owned.push_back(std::move(table));
      }
      if (o.make_extra_reporter) owned.push_back(o.make_extra_reporter(human));
      std::vector<std::string> kept;
      if (csv) {
        owned.push_back(std::make_unique<CsvReporter>(*csv));
        kept.push_back(csv->given);
      }
      if (json) {
        owned.push_back(std::make_unique<JsonReporter>(*json));
        kept.push_back(json->given);
      }
      owned.push_back(std::make_unique<InterruptNote>(kept));
      warn_about_machine(machine);
      echo_plan(stdout_taken ? stderr : stdout, runner.plan(), o, machine);
    }
  }

  std::vector<Reporter*> reporters;
  for (auto& r : owned) reporters.push_back(r.get());
  const RunContext context{make_run_id(), utc_text(std::time(nullptr)), machine};
  const int invalid = runner.run(context, reporters);
  // A rank started by parbench's own launcher hands its rows back, invalid ones included; the
  // launcher judges them again and sets the exit code. Only a job that could not report fails.
  if (mpi_child) return 0;
  return invalid == 0 ? 0 : 1;
}

void add_matrix_options(CLI::App& cmd, RunOptions& o) {
  cmd.add_option("--backend", o.backends,
                 fmt::format("Backends, a list of {} (default: all that can run here)",
                             fmt::join(backends::backend_names(), ", ")))
      ->delimiter(',');
  o.workers_option =
      cmd.add_option("--workers", o.workers,
                     "Worker counts: a list of N, auto, or ranges lo:hi[:+k|:*k] (hi may be auto)")
          ->delimiter(',')
          ->capture_default_str();
  cmd.add_option("--threads-per-rank", o.threads_per_rank,
                 "Threads inside each rank for mpi+threads and mpi+tbb, a list of N or auto (the "
                 "CPUs this process may use, divided among the ranks on its host)")
      ->delimiter(',')
      ->capture_default_str();
  o.backend_options->add_to(cmd);
  cmd.add_option("--schedule", o.schedules, "How items reach workers, a list (auto: tbb only)")
      ->delimiter(',')
      ->transform(CLI::IsMember(schedule_names()))
      ->capture_default_str();
  cmd.add_option("--chunk", o.chunks, "Items per chunk for cyclic, dynamic and queue, a list")
      ->delimiter(',')
      ->capture_default_str();
  cmd.add_option("--warmup", o.warmup, "Untimed runs before the timed ones")
      ->transform(whole_number(0, 1000))
      ->capture_default_str();
  cmd.add_option("--repeat", o.repeat, "Timed repetitions per configuration")
      ->transform(whole_number(1, 10000))
      ->capture_default_str();
  cmd.add_flag("--recalibrate", o.recalibrate,
               "Measure the calibration recorded with the rows anew instead of taking this boot's "
               "cached figures (measured anew after six hours anyway)");
  cmd.add_flag("--verbose", o.verbose,
               "Name every backend and ipc pair skipped because the mechanism cannot reach the "
               "backend's workers (by default one line says how many)");
  cmd.add_flag("--no-spread-warnings", o.no_spread_warnings,
               "No warning for configurations whose repetitions spread over 5% (each spread stays "
               "in the CSV and the tables; `parbench report card` counts them)");
  cmd.add_flag("--interleave", o.interleave,
               "Run the repetitions of all configurations in rounds (A B C A B C ...), so that a "
               "slow phase of the machine falls on all alike; each round starts every backend "
               "anew, with its warm-ups, for one timed repetition");
  o.csv_option =
      cmd.add_option("--csv", o.csv, "Append one row per repetition to FILE (- for stdout)");
  o.json_option =
      cmd.add_option("--json", o.json, "Write the whole run as JSON to FILE (- for stdout)");
  o.command = &cmd;
  cmd.add_option("--records-out", o.records_out, "internal: used by the mpi launcher")->group("");
  cmd.add_flag("--list-configurations", o.list_configurations,
               "internal: print the plan's configurations, numbered, and run nothing")
      ->group("");
  cmd.add_option("--configuration", o.configuration,
                 "internal: run only the plan's N-th configuration (see --list-configurations)")
      ->group("");
  for (auto& spec : o.specs) spec->add_options(cmd);
}

}  // namespace parbench::cli
