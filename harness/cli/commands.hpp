// One subcommand per file, CLI11's subcom_in_files pattern: each setup_* adds its subcommand and
// options and a callback that stores the command's exit code.
#pragma once

#include <CLI/App.hpp>

namespace parbench::cli {

void setup_list_command(CLI::App& app, int& exit_code);
void setup_info_command(CLI::App& app, int& exit_code);
void setup_run_command(CLI::App& app, int& exit_code);
void setup_sweep_command(CLI::App& app, int& exit_code);
void setup_report_command(CLI::App& app, int& exit_code);
void setup_worker_command(CLI::App& app, int& exit_code);

}  // namespace parbench::cli
