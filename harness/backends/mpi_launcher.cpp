// Puts MPI in the same matrix as the other backends on a workstation, or in a cluster allocation:
// when parbench was not started by mpirun, it starts `mpirun -np <workers> parbench run ...
// --backend mpi` for each configuration (inside a Slurm or PBS allocation mpirun places the ranks
// on the allocation's nodes). Rank 0 of that job, which may run on another node whose /tmp this one
// cannot see, writes its rows as CSV to its stdout; mpirun forwards that stream, and nothing else,
// into a private file that this process reads back. Launching is timed from here to the moment the
// ranks are loaded (PARBENCH_LAUNCH_T0), and MPI_Init by the backend; both form the setup cost.
#include <unistd.h>

#include <fmt/format.h>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "harness/backends/launch_env.hpp"
#include "harness/backends/mpi_support.hpp"
#include "harness/backends/mpirun_placement.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/csv_format.hpp"
#include "harness/records/errors.hpp"
#include "ipc/child_process.hpp"
#include "ipc/temp_dir.hpp"

namespace parbench::backends {
namespace {

// What mpirun's output says went wrong, for the failed row: the rank that died, its host and the
// signal ("mpirun noticed that process rank 1 with PID 0 on node n1 exited on signal 9 (Killed)."),
// or the error a rank printed.
std::string job_failure(const std::string& log, int status, int workers) {
  if (const auto at = log.find("process rank "); at != std::string::npos) {
    int rank = 0;
    long pid = 0;
    int sig = 0;
    std::array<char, 256> host{};
    if (std::sscanf(log.c_str() + at,
                    "process rank %d with PID %ld on node %255s exited on signal %d", &rank, &pid,
                    host.data(), &sig) == 4) {
      const std::string pid_text = pid == 0 ? "" : fmt::format(" (pid {})", pid);
      return fmt::format("mpi rank {}{} on host {} was killed by signal {} ({})", rank, pid_text,
                         host.data(), sig, strsignal(sig));
    }
  }
  for (const char* prefix : {"parbench: failed: ", "parbench: error: "}) {
    if (const auto at = log.find(prefix); at != std::string::npos) {
      const auto from = at + std::strlen(prefix);
      return "an mpi rank failed: " + log.substr(from, log.find('\n', from) - from);
    }
  }
  return fmt::format("mpirun -np {} {} before reporting a result", workers,
                     ipc::describe_wait_status(status));
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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
  // More ranks than cores would otherwise be refused; bound ranks would then fight over cores. Open
  // MPI binds each rank to one core by default, which would put a hybrid's threads on one core.
  const bool oversubscribed = request.workers > static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)) &&
                              std::getenv("SLURM_JOB_ID") == nullptr &&
                              std::getenv("PBS_JOBID") == nullptr;
  if (oversubscribed) argv.emplace_back("--oversubscribe");
  const auto placement = settings_in<MpirunPlacement>(request.options);
  if (!placement.map_by.empty()) argv.insert(argv.end(), {"--map-by", placement.map_by});
  if (!placement.bind_to.empty()) {
    argv.insert(argv.end(), {"--bind-to", placement.bind_to});
  } else if (oversubscribed || request.threads_per_rank > 1) {
    argv.insert(argv.end(), {"--bind-to", "none"});
  }
  // --redis goes to the ranks through the environment (they read PARBENCH_REDIS_URL; -x hands it
  // to ranks on other hosts too): its password would be public in `ps` on a command line.
  std::string redis_url;
  std::vector<std::string> args = request.work.cli_args();
  if (const auto it = std::find(args.begin(), args.end(), "--redis");
      it != args.end() && it + 1 != args.end()) {
    redis_url = *(it + 1);
    args.erase(it, it + 2);
    argv.insert(argv.end(), {"-x", "PARBENCH_REDIS_URL"});
  }
  argv.insert(argv.end(), {ipc::self_executable(), "run", "--kernel", request.work.kernel()});
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"--schedule", request.schedule.name(), "--chunk",
                           std::to_string(std::max<std::uint64_t>(1, request.schedule.chunk))});
  argv.insert(argv.end(),
              {"--backend", request.backend, "--workers", std::to_string(request.workers),
               "--threads-per-rank", std::to_string(request.threads_per_rank), "--warmup",
               std::to_string(request.warmup), "--repeat", std::to_string(request.repeat),
               "--records-out", "-"});

  ipc::ChildProcess::SpawnOptions options;
  if (geteuid() == 0) {  // Open MPI refuses root unless told twice
    options.extra_env = {"OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1"};
  }
  // Open MPI's session directory inside ours: what a killed mpirun cannot remove, the next
  // parbench does (with our directory).
  options.extra_env.push_back("OMPI_MCA_orte_tmpdir_base=" + dir.path());
  options.extra_env.push_back(fmt::format("PARBENCH_LAUNCH_T0={:.9f}", monotonic_s()));
  if (!redis_url.empty()) options.extra_env.push_back("PARBENCH_REDIS_URL=" + redis_url);
  options.graceful_stop = true;
  options.own_process_group = true;
  options.output_file = dir.file("mpirun.log");
  options.stdout_file = records_path;
  int status = 0;
  {
    ipc::ChildProcess job = ipc::ChildProcess::spawn(argv, options);
    status = job.wait();
  }
  // The ranks' and mpirun's words reach the user as before, after the job.
  const std::string log = read_file(options.output_file);
  std::fputs(log.c_str(), stderr);

  std::vector<RunRecord> records;
  try {
    std::error_code missing;
    const auto size = std::filesystem::file_size(records_path, missing);
    if (!missing && size > 0) records = read_csv_records(records_path);
  } catch (const std::exception& e) {
    throw WorkerFailure(
        fmt::format("reading the rows of mpirun -np {}: {}", request.workers, e.what()));
  }
  // Refused by rank 0 (ipc::Unreachable), which said why in the log: no row, and no failure.
  if (records.empty() && status == 0 && log.find("parbench: refused: ") != std::string::npos)
    return records;
  if (records.empty() || status != 0) {
    // A job that died after rank 0 wrote its rows still failed: say how, and keep nothing of it.
    throw WorkerFailure(job_failure(log, status, request.workers));
  }
  return records;
}

}  // namespace parbench::backends
