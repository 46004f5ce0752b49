// The options of run and sweep that go to the mpirun parbench starts for the MPI backends.
#pragma once

#include <CLI/App.hpp>

#include "harness/backend.hpp"

namespace parbench::cli {

// Binds --map-by and --bind-to to `launch`'s settings for mpirun.
void add_mpirun_options(CLI::App& cmd, LaunchOptions& launch);

}  // namespace parbench::cli
