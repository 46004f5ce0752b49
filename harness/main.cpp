// parbench: what does it cost to run the same work under threads, processes, TBB and MPI?
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>

#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/errors.hpp"
#include "ipc/cleanup.hpp"

int main(int argc, char** argv) {
  parbench::ipc::install_interrupt_handlers();
  CLI::App app{
      "parbench: the cost of running the same work under threads, fork()ed processes, TBB and MPI"};
  app.require_subcommand(1);
  int exit_code = 0;
  parbench::cli::setup_list_command(app, exit_code);
  parbench::cli::setup_info_command(app, exit_code);
  parbench::cli::setup_run_command(app, exit_code);
  parbench::cli::setup_sweep_command(app, exit_code);
  parbench::cli::setup_report_command(app, exit_code);

  // Every failure is one line on stderr: bad input exits with 2, a failed run with 1.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    fmt::print(stderr, "parbench: error: {}\n", e.what());
    parbench::backends::abort_parallel_jobs(2);
    return 2;
  } catch (const parbench::UsageError& e) {
    fmt::print(stderr, "parbench: error: {}\n", e.what());
    parbench::backends::abort_parallel_jobs(2);
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parbench: failed: {}\n", e.what());
    parbench::ipc::cleanup_all();
    parbench::backends::abort_parallel_jobs(1);
    return 1;
  }
  return exit_code;
}
