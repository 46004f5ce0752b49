// parbench: what does it cost to run the same work under threads, processes, TBB and MPI?
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>
#include <system_error>
#include <vector>

#include "harness/backends/launch_env.hpp"
#include "harness/backends/registry.hpp"
#include "harness/cli/commands.hpp"
#include "harness/collect_fingerprint.hpp"
#include "harness/records/errors.hpp"
#include "ipc/cleanup.hpp"
#include "ipc/redis_server.hpp"
#include "ipc/temp_dir.hpp"

namespace {

// CLI11 answers `parbench foo` with "A subcommand is required"; name the word it did not know.
void refuse_unknown_subcommand(const CLI::App& app, int argc, char** argv) {
  const CLI::App* level = &app;
  for (int i = 1; i < argc && argv[i][0] != '-'; ++i) {
    std::vector<std::string> known;
    for (const CLI::App* sub : level->get_subcommands([](const CLI::App*) { return true; }))
      if (!sub->get_name().empty()) known.push_back(sub->get_name());
    if (known.empty()) return;  // positional arguments from here on
    const std::string word = argv[i];
    if (std::find(known.begin(), known.end(), word) == known.end()) {
      throw parbench::UsageError(
          fmt::format("unknown subcommand '{}' (known: {})", word, fmt::join(known, ", ")));
    }
    level = level->get_subcommand(word);
  }
}

}  // namespace

int main(int argc, char** argv) {
#if PARBENCH_SMPI
  // A simulated rank finalises MPI as its main returns, whichever way: the ranks share one process,
  // whose atexit would come after the simulation.
  struct FinishRank {
    ~FinishRank() { parbench::backends::finish_simulated_rank(); }
  } finish_rank;
#endif
  parbench::ipc::install_interrupt_handlers();
  CLI::App app{
      "parbench: the cost of running the same work under threads, fork()ed processes, TBB and MPI"};
  app.require_subcommand(1);
  app.set_version_flag("--version", parbench::parbench_version());
  int exit_code = 0;
  parbench::cli::setup_list_command(app, exit_code);
  parbench::cli::setup_info_command(app, exit_code);
  parbench::cli::setup_run_command(app, exit_code);
  parbench::cli::setup_sweep_command(app, exit_code);
  parbench::cli::setup_report_command(app, exit_code);
  parbench::cli::setup_worker_command(app, exit_code);

  // Every failure is one line on stderr: bad input exits with 2, a failed run with 1.
  try {
    refuse_unknown_subcommand(app, argc, argv);
    // What an earlier parbench killed outright (kill -9) could not remove.
    parbench::ipc::remove_stale_leftovers();
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // CLI11 quotes arguments it did not expect: a Redis URL among them may hold a password.
    fmt::print(stderr, "parbench: error: {}\n", parbench::ipc::redact_url_passwords(e.what()));
    parbench::backends::abort_parallel_jobs(2);
    return 2;
  } catch (const parbench::UsageError& e) {
    fmt::print(stderr, "parbench: error: {}\n", e.what());
    parbench::backends::abort_parallel_jobs(2);
    return 2;
  } catch (const std::system_error& e) {
    // The reader of our output has gone (`parbench list | head -1`): quiet, as a tool killed by
    // SIGPIPE would be, which parbench ignores for its sockets' sake.
    const bool reader_gone = e.code() == std::errc::broken_pipe;
    if (!reader_gone) fmt::print(stderr, "parbench: failed: {}\n", e.what());
    parbench::ipc::cleanup_all();
    parbench::backends::abort_parallel_jobs(1);
    return reader_gone ? 141 : 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "parbench: failed: {}\n", e.what());
    parbench::ipc::cleanup_all();
    parbench::backends::abort_parallel_jobs(1);
    return 1;
  }
  return exit_code;
}
