// What only some backends need from the runner, beside Backend: a backend opts in by also deriving
// from one of these, and the runner asks for it (dynamic_cast) before start(). The others implement
// nothing for the MPI job. (A backend's own settings: TakesSettings, backend_options.hpp.)
#pragma once

#include "harness/backends/backend.hpp"

namespace parbench::backends {

// A backend whose workers are MPI ranks (mpi, mpi+threads, mpi+tbb).
class RanksBackend {
 public:
  virtual ~RanksBackend() = default;
  // Threads inside each rank, for the hybrids (ipc::Workers::kRanksOfThreads); called before
  // start(). The plain mpi backend keeps one.
  virtual void set_threads_per_rank(int threads) = 0;
  // Setup that happened before start() could time it (launching mpirun), in seconds.
  virtual double setup_before_start_s() const = 0;
  // Only rank 0 reports; the other ranks measure alongside it.
  virtual bool reports() const = 0;
};

}  // namespace parbench::backends
