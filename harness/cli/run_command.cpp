// parbench run: kernels x backends x schedules x workers, every list expanded to its cross product.
#include "harness/cli/commands.hpp"
#include "harness/cli/run_matrix.hpp"

namespace parbench::cli {

void setup_run_command(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("run", "Run kernels x backends x worker counts, validate and report");
  auto options = std::make_shared<RunOptions>();
  cmd->add_option("--kernel", options->kernels, "Kernels to run, a list")
      ->delimiter(',')
      ->capture_default_str();
  add_matrix_options(*cmd, *options);
  cmd->callback([options, &exit_code] { exit_code = run_matrix(*options); });
}

}  // namespace parbench::cli
