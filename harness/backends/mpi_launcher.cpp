// Puts MPI in the same matrix as the other backends on a workstation: when parbench was not started
// by mpirun, it starts `mpirun -np <workers> parbench run ... --backend mpi` for each
// configuration, and rank 0 of that job writes its rows into a private file that this process reads
// back. Launching is timed from here to the moment the ranks are loaded (PARBENCH_LAUNCH_T0), and
// MPI_Init by the backend; both form the setup cost.
#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>
#include <filesystem>

#include "harness/backends/mpi_support.hpp"
#include "harness/clock.hpp"
#include "harness/errors.hpp"
#include "harness/launch_env.hpp"
#include "harness/reporters/csv_format.hpp"
#include "ipc/child_process.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::backends {
namespace {

std::string self_executable() {
  std::error_code ec;
  const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw WorkerFailure("cannot find the parbench executable to launch under mpirun");
  return path.string();
}

}  // namespace

std::string find_mpirun() {
  const char* forced = std::getenv("PARBENCH_MPIRUN");
  return ipc::find_executable(forced != nullptr ? forced : "mpirun");
}

std::optional<std::vector<RunRecord>> relaunch_under_mpirun(const LaunchRequest& request) {
  if (inside_mpi_launch()) return std::nullopt;
  const std::string mpirun = find_mpirun();
  if (mpirun.empty()) throw WorkerFailure("mpirun not found on PATH");

  ipc::TempDir dir;
  const std::string records_path = dir.file("records.csv");
  std::vector<std::string> argv{mpirun, "-np", std::to_string(request.workers)};
  // More ranks than cores would otherwise be refused; bound ranks would then fight over cores.
  if (request.workers > static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN))) {
    argv.insert(argv.end(), {"--oversubscribe", "--bind-to", "none"});
  }
  argv.insert(argv.end(), {self_executable(), "run", "--kernel", request.work.kernel()});
  for (const auto& arg : request.work.cli_args()) argv.push_back(arg);
  argv.insert(argv.end(), {"--schedule", request.schedule.name(), "--chunk",
                           std::to_string(std::max<std::uint64_t>(1, request.schedule.chunk))});
  argv.insert(argv.end(), {"--backend", "mpi", "--workers", std::to_string(request.workers),
                           "--warmup", std::to_string(request.warmup), "--repeat",
                           std::to_string(request.repeat), "--records-out", records_path});

  std::vector<std::string> env;
  if (geteuid() == 0) {  // Open MPI refuses root unless told twice
    env = {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"};
  }
  env.push_back(fmt::format("PARBENCH_LAUNCH_T0={:.9f}", monotonic_s()));
  ipc::ChildProcess job = ipc::ChildProcess::spawn(argv, env, /*graceful_stop=*/true);
  const int status = job.wait();

  std::vector<RunRecord> records;
  if (std::filesystem::exists(records_path)) records = read_csv_records(records_path);
  if (records.empty()) {
    throw WorkerFailure(fmt::format("mpirun -np {} {} before reporting a result", request.workers,
                                    ipc::describe_wait_status(status)));
  }
  return records;
}

}  // namespace parbench::backends
