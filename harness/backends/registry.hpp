// The backends compiled into this build. Adding one is one file defining its entry function
// (`BackendEntry NAME_backend()`) and one line in registry.cpp's list.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/backends/backend.hpp"
#include "harness/backends/backend_options.hpp"
#include "harness/backends/schedule.hpp"
#include "harness/records/record.hpp"
#include "ipc/reach.hpp"

namespace parbench::backends {

struct Availability {
  bool runnable = false;
  std::string detail;  // version, or why it cannot run here
};

// A whole configuration handed to a backend that runs it in processes started by an outside
// launcher.
struct LaunchRequest {
  const std::string& backend;  // the entry's own name, for the launched processes' --backend
  const Workload& work;
  int workers;
  int threads_per_rank;
  const Schedule& schedule;
  int warmup;
  int repeat;
  const BackendOptions* options;  // the entry's own group (settings_in), null where it has none
};

// For backends that need nothing beyond this build.
inline Availability always_available() { return {true, ""}; }

struct BackendEntry {
  std::string name;
  std::string summary;
  std::function<std::unique_ptr<Backend>()> make;
  std::function<Availability()> availability;
  // How the workers share with the process that runs the plan: which mechanisms reach them, which
  // backend is the reference (ipc::Workers::kCaller), which spans launched ranks.
  ipc::WorkerModel model;
  // The schedules this backend can hand work out by.
  std::vector<ScheduleKind> schedules{ScheduleKind::kStatic};
  // Set by backends that must be started by a launcher (mpirun) when parbench was not: it runs the
  // configuration in launched processes and returns their records, or nullopt when this process is
  // already one of them and the runner should drive the backend here.
  std::function<std::optional<std::vector<RunRecord>>(const LaunchRequest&)> relaunch;
  // Set by backends whose processes must all be brought down together after a fatal error.
  std::function<void(int exit_code)> abort_job;
  // Set by backends with options of their own (backend_options.hpp): makes the group's options
  // object; the backends of a family name the same function and share one.
  std::unique_ptr<BackendOptions> (*options)() = nullptr;
  // Whether `run` with no --backend includes it. Left out: the ones that answer a question of
  // their own and need more than this host (the hybrids: ranks or ranks of threads on a cluster;
  // the job queue: a Redis server and surviving a worker's death; python: the book's code, whose
  // pure-Python pi takes minutes where native takes a second; scripts/bench runs a slice of them).
  bool in_default_matrix = true;
  // Whether it runs any Workload handed to it here, an empty one included (what the
  // microbenchmarks time); not so where the workers run parbench's own kernels elsewhere
  // (`parbench worker` processes, the kernels' Python forms).
  bool runs_any_workload = true;
};

// Every backend parbench has, in registration order; one that this build lacks is listed with no
// factory (`make` empty), so that `list` and the CLI's errors can say so.
const std::vector<BackendEntry>& all_backends();
const BackendEntry* find_backend(const std::string& name);
// The names, for "known:" lists in messages and help.
std::vector<std::string> backend_names();
// The reference backend (serial), the one every other is compared with.
inline bool is_reference(const BackendEntry& entry) {
  return entry.model.workers == ipc::Workers::kCaller;
}
// Tears down any parallel job this process belongs to (MPI_Abort), after a fatal error.
void abort_parallel_jobs(int exit_code);

}  // namespace parbench::backends
