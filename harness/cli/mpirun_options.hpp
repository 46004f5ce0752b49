// The options of run and sweep that go to the mpirun parbench starts for the MPI backends.
#pragma once

#include <CLI/App.hpp>

#include "harness/backends/mpirun_placement.hpp"

namespace parbench::cli {

// Binds --map-by and --bind-to to the placement asked of mpirun.
void add_mpirun_options(CLI::App& cmd, backends::MpirunPlacement& placement);

}  // namespace parbench::cli
