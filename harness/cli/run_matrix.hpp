// The engine shared by `run` and `sweep`: their options, and the step from options to a validated
// plan, open reporters and a finished run.
#pragma once

#include <CLI/App.hpp>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "harness/reporters/reporter.hpp"
#include "harness/runner.hpp"
#include "harness/workloads/kernel_spec.hpp"

namespace parbench::cli {

struct RunOptions {
  std::vector<std::string> kernels{"pi"};
  std::vector<std::string> backends;  // empty: every backend that can run here
  std::vector<std::string> workers{"1:auto:*2", "auto"};
  std::vector<std::string> threads_per_rank{"auto"};
  // The backends' own options and settings, each group registered and checked by its backend
  // (backend_options.hpp), handed to the runner with the plan.
  std::shared_ptr<backends::OptionGroups> backend_options =
      std::make_shared<backends::OptionGroups>();
  std::vector<std::string> schedules{"static"};
  std::vector<std::string> chunks{"1000"};
  int warmup = 1;
  int repeat = 5;
  bool interleave = false;
  bool verbose = false;
  bool no_spread_warnings = false;
  bool recalibrate = false;
  std::string csv;
  std::string json;
  std::string records_out;  // internal: rank 0 of a job started by mpi_launcher writes here
  // For job scripts that launch one configuration per job step (scripts/cluster/slurm.sh), so that
  // a rank lost costs that configuration alone: list the plan's configurations, or run the N-th.
  bool list_configurations = false;
  // 1-based; empty: all. Text, parsed in run_matrix: CLI11 names no hidden option in its errors.
  std::string configuration;
  std::vector<std::unique_ptr<KernelSpec>> specs = make_kernel_specs();
  // For commands built on `run`: a last change to the validated plan, and one more reporter that
  // writes to the human stream (stderr when CSV or JSON go to stdout).
  std::function<void(RunPlan&)> adjust_plan;
  std::function<std::unique_ptr<Reporter>(std::ostream& human)> make_extra_reporter;
  // Set by add_matrix_options: whether --csv and --json were given (an empty one is refused), and
  // the command, whose kernel option groups tell which options were given.
  const CLI::Option* csv_option = nullptr;
  const CLI::Option* json_option = nullptr;
  const CLI::Option* workers_option = nullptr;  // whether --workers was given
  const CLI::App* command = nullptr;
};

// Every option of `run` but --kernel: backends, workers, schedules, repetitions, outputs, and each
// kernel's own options.
void add_matrix_options(CLI::App& cmd, RunOptions& options);

// Validates everything (UsageError), opens the reporters, runs; 0 when every result was valid.
int run_matrix(const RunOptions& options);

}  // namespace parbench::cli
