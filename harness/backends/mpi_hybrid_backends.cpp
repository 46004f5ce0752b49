// mpi+threads, mpi+openmp and mpi+tbb: --workers ranks, each running its share of the kernel on a
// pool of
// --threads-per-rank threads (a threads or tbb backend inside the rank), split by the same
// schedule. The question "64 ranks, or 2 ranks of 32 threads?" in one run.
#include "harness/backends/mpi_support.hpp"

namespace parbench::backends {

// The pools the ranks run, defined by their own files (the registry lists them too).
BackendEntry threads_backend();
BackendEntry tbb_backend();
BackendEntry openmp_backend();

namespace {

BackendEntry hybrid(const BackendEntry& pool, std::string summary) {
  BackendEntry entry = mpi_backend();
  entry.name = "mpi+" + pool.name;
  entry.summary = std::move(summary);
  entry.make = [make_pool = pool.make] { return make_mpi_backend(make_pool); };
  entry.model = {ipc::Workers::kRanksOfThreads};
  entry.in_default_matrix = false;  // a cluster's question: ranks, or ranks of threads?
  entry.schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic};
#if PARBENCH_SMPI
  // SMPI runs every rank as a context of one process and simulates no threads inside them.
  entry.availability = [] {
    return Availability{false, "the smpi build simulates ranks, not threads inside them"};
  };
#endif
  return entry;
}

}  // namespace

BackendEntry mpi_threads_backend() {
  return hybrid(threads_backend(), "MPI ranks, each with a pool of std::jthread workers");
}

BackendEntry mpi_openmp_backend() {
  return hybrid(openmp_backend(), "MPI ranks, each running its slices in an OpenMP region");
}

#if PARBENCH_HAVE_TBB
BackendEntry mpi_tbb_backend() {
  return hybrid(tbb_backend(), "MPI ranks, each with a oneTBB arena");
}
#endif

}  // namespace parbench::backends
