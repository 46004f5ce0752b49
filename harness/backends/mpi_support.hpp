#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/registry.hpp"
#include "harness/backends/run_length.hpp"

namespace parbench::backends {

// The mpi backend; with `make_pool`, a hybrid whose ranks run their slices on that pool.
std::unique_ptr<Backend> make_mpi_backend(std::function<std::unique_ptr<Backend>()> make_pool);
// The mpi entry, which the hybrids (mpi+threads, mpi+tbb) start from.
BackendEntry mpi_backend();
Availability mpi_availability();
std::string mpi_library_version();
// The mpirun on PATH (or $PARBENCH_MPIRUN), empty when there is none.
std::string find_mpirun();
// Runs one configuration in `mpirun -np workers parbench run ...` unless this process already is an
// MPI rank (then nullopt).
std::optional<std::vector<RunRecord>> relaunch_under_mpirun(const LaunchRequest& request);

}  // namespace parbench::backends
