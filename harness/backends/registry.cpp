#include "harness/backends/registry.hpp"

#include <fmt/format.h>

#include "harness/backends/mpirun_placement.hpp"
#include "harness/backends/queue_settings.hpp"

namespace parbench::backends {
namespace {

// A backend this build was configured without: named, so that the user learns why it is missing,
// with its options, which the command line takes in every build.
[[maybe_unused]] BackendEntry not_compiled(std::string name, const char* dependency,
                                           std::unique_ptr<BackendOptions> (*options)() = nullptr) {
  return {.name = std::move(name),
          .summary = "",
          .make = nullptr,
          .availability =
              [dependency] {
                return Availability{
                    false, fmt::format("not compiled into this build, which lacks {}", dependency)};
              },
          .model = {},
          .options = options};
}

}  // namespace

// A backend's file defines `BackendEntry NAME()`; this declares it (block scope: no header lists
// the backends) and calls it, so that registering a backend is its one line in the list below.
#define PARBENCH_BACKEND(name)  \
  [] {                          \
    extern BackendEntry name(); \
    return name();              \
  }()

const std::vector<BackendEntry>& all_backends() {
  // One line per backend.
  static const std::vector<BackendEntry> entries {
    PARBENCH_BACKEND(serial_backend), PARBENCH_BACKEND(threads_backend),
        PARBENCH_BACKEND(processes_backend), PARBENCH_BACKEND(openmp_backend),
#if PARBENCH_HAVE_TBB
        PARBENCH_BACKEND(tbb_backend),
#else
        not_compiled("tbb", "oneTBB"),
#endif
#if PARBENCH_HAVE_MPI
        PARBENCH_BACKEND(mpi_backend), PARBENCH_BACKEND(mpi_threads_backend),
        PARBENCH_BACKEND(mpi_openmp_backend),
#else
        not_compiled("mpi", "MPI", mpirun_options),
        not_compiled("mpi+threads", "MPI", mpirun_options),
        not_compiled("mpi+openmp", "MPI", mpirun_options),
#endif
#if PARBENCH_HAVE_MPI && PARBENCH_HAVE_TBB
        PARBENCH_BACKEND(mpi_tbb_backend),
#else
        not_compiled("mpi+tbb", "MPI or oneTBB", mpirun_options),
#endif
#if PARBENCH_HAVE_REDIS
        PARBENCH_BACKEND(redis_queue_backend),
#else
        not_compiled("redis-queue", "hiredis", queue_options),
#endif
        PARBENCH_BACKEND(python_backend), PARBENCH_BACKEND(python_pure_backend),
  };
  return entries;
}

const BackendEntry* find_backend(const std::string& name) {
  for (const auto& entry : all_backends()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (const auto& entry : all_backends()) names.push_back(entry.name);
  return names;
}

void abort_parallel_jobs(int exit_code) {
  for (const auto& entry : all_backends()) {
    if (entry.abort_job) entry.abort_job(exit_code);
  }
}

}  // namespace parbench::backends
