#include "harness/backends/registry.hpp"

namespace parbench::backends {

const std::vector<BackendEntry>& all_backends() {
  static const std::vector<BackendEntry> entries = [] {
    std::vector<BackendEntry> list{serial_backend(), threads_backend(), processes_backend()};
#if PARBENCH_HAVE_TBB
    list.push_back(tbb_backend());
#endif
#if PARBENCH_HAVE_MPI
    list.push_back(mpi_backend());
#endif
    return list;
  }();
  return entries;
}

const BackendEntry* find_backend(const std::string& name) {
  for (const auto& entry : all_backends()) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

void abort_parallel_jobs(int exit_code) {
  for (const auto& entry : all_backends()) {
    if (entry.abort_job) entry.abort_job(exit_code);
  }
}

}  // namespace parbench::backends
