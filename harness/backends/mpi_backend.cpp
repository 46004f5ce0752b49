// mpi: every rank takes its share by the schedule, MPI_Reduce combines the partial results on
// rank 0, and the time of a repetition is the maximum over ranks between a start barrier and the
// reduction (OSU's convention). Only rank 0 reports. Started by a user's mpirun/srun, or by
// mpi_launcher.cpp. The hybrids (mpi_hybrid_backends.cpp) are this backend with a pool of threads
// in every rank (threads_in_rank.hpp).
#include <mpi.h>
#include <sched.h>

#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <set>

#include "harness/backends/launch_env.hpp"
#include "harness/backends/mechanism.hpp"
#include "harness/backends/mpi_support.hpp"
#include "harness/backends/mpirun_placement.hpp"
#include "harness/backends/opt_in_hooks.hpp"
#include "harness/backends/partition.hpp"
#include "harness/backends/registry.hpp"
#include "harness/backends/threads_in_rank.hpp"
#if PARBENCH_SMPI
#include "harness/backends/simulated_compute.hpp"
#endif
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"
#include "ipc/mpi_check.hpp"

namespace parbench::backends {
namespace {

// Read as early as the program loads: the end of "launching" when mpi_launcher started us.
const double g_loaded_at = monotonic_s();

using ipc::mpi_check;

void min_nonzero_op(void* in, void* inout, int* len, MPI_Datatype* /*type*/) {
  const auto* a = static_cast<const std::uint64_t*>(in);
  auto* b = static_cast<std::uint64_t*>(inout);
  for (int i = 0; i < *len; ++i) b[i] = fold(Reduction::kMinNonzero, a[i], b[i]);
}

// MPI_Init once per process, MPI_Finalize at normal exit. Funneled: the hybrids' threads compute
// while only the rank's own thread calls MPI.
void ensure_initialised() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised != 0) return;
  int provided = 0;
  mpi_check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
#if !PARBENCH_SMPI  // simulated ranks share one process: each finalises as its main returns
  std::atexit([] {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (finalised == 0) MPI_Finalize();
  });
#endif
}

// The CPUs this process may run on, as a list of ranges: "0-3,8".
std::string allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return "?";
  std::string text;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (!CPU_ISSET(cpu, &set)) continue;
    int last = cpu;
    while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, &set)) ++last;
    if (!text.empty()) text += ',';
    text += last == cpu ? std::to_string(cpu) : fmt::format("{}-{}", cpu, last);
    cpu = last;
  }
  return text;
}

class MpiBackend final : public Backend, public RanksBackend {
 public:
  explicit MpiBackend(std::function<std::unique_ptr<Backend>()> make_pool)
      : make_pool_(std::move(make_pool)) {}

  void set_threads_per_rank(int threads) override { threads_ = make_pool_ ? threads : 1; }

  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    mechanism_ = work.mechanism();
    schedule_ = schedule;
#if PARBENCH_SMPI
    // Every slice advances the simulated clock by what it cost (simulated_compute.hpp).
    simulated_ = std::make_unique<SimulatedCompute>(*work_);
    work_ = simulated_.get();
#endif
    if (make_pool_) {
      // Each rank-level chunk holds one chunk of the schedule per thread of the rank's pool.
      pooled_ = std::make_unique<ThreadsInRank>(work, make_pool_(), threads_, schedule);
      work_ = pooled_.get();
      schedule_.chunk = schedule.chunk * static_cast<std::uint64_t>(threads_);
    }
    first_start_ = !started_before_;
    started_before_ = true;
    ensure_initialised();
    mpi_check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    mpi_check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
    if (workers != size_) {
      throw WorkerFailure(
          fmt::format("asked for {} workers but MPI started {} ranks", workers, size_));
    }
    if (min_nonzero_ == MPI_OP_NULL)
      mpi_check(MPI_Op_create(min_nonzero_op, 1, &min_nonzero_), "MPI_Op_create");
    gather_hosts();
    mpi_check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
  }

  RunOutput run() override {
    if (pooled_) pooled_->clear_loads();
    mpi_check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
    const double cpu0 = process_cpu_s();
    const double t0 = MPI_Wtime();
    const WorkerShare share = schedule_.kind == ScheduleKind::kDynamic
                                  ? run_dynamic_share()
                                  : run_share(*work_, schedule_, static_cast<std::uint64_t>(rank_),
                                              static_cast<std::uint64_t>(size_),
                                              [] { return std::optional<std::uint64_t>(); });
    if (mechanism_ != nullptr) mechanism_->complete_share();  // inside the timed part
    const std::uint64_t partial = share.value;
    std::uint64_t result = 0;
    const MPI_Op op = work_->reduction() == Reduction::kSum ? MPI_SUM : min_nonzero_;
    mpi_check(MPI_Reduce(&partial, &result, 1, MPI_UINT64_T, op, 0, MPI_COMM_WORLD), "MPI_Reduce");
    const double elapsed = MPI_Wtime() - t0;
    // Rank 0's own CPU time is measured by the runner; the others' is added here.
    const double cpu = rank_ == 0 ? 0.0 : process_cpu_s() - cpu0;

    double slowest = 0.0;
    double other_cpu = 0.0;
    mpi_check(MPI_Reduce(&elapsed, &slowest, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD),
              "MPI_Reduce");
    mpi_check(MPI_Reduce(&cpu, &other_cpu, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD),
              "MPI_Reduce");
    // Every thread's load: one per rank, or one per thread of each rank's pool.
    const std::vector<WorkerReport> loads =
        pooled_ ? pooled_->loads() : std::vector<WorkerReport>{share.report};
    const int per_rank = static_cast<int>(loads.size());
    std::vector<double> busy(loads.size());
    std::vector<std::uint64_t> items(loads.size());
    for (std::size_t t = 0; t < loads.size(); ++t) {
      busy[t] = loads[t].busy_s;
      items[t] = loads[t].items;
    }
    std::vector<double> busy_all(busy.size() * static_cast<std::size_t>(size_));
    std::vector<std::uint64_t> items_all(busy_all.size());
    mpi_check(MPI_Gather(busy.data(), per_rank, MPI_DOUBLE, busy_all.data(), per_rank, MPI_DOUBLE,
                         0, MPI_COMM_WORLD),
              "MPI_Gather");
    mpi_check(MPI_Gather(items.data(), per_rank, MPI_UINT64_T, items_all.data(), per_rank,
                         MPI_UINT64_T, 0, MPI_COMM_WORLD),
              "MPI_Gather");

    RunOutput out;
    out.result = result;
    out.wall_s = slowest;
    out.outside_cpu_s = other_cpu;
    for (std::size_t i = 0; i < busy_all.size(); ++i)
      out.workers.push_back({busy_all[i], items_all[i]});
    return out;
  }

  void stop() noexcept override {
    pooled_.reset();
#if PARBENCH_SMPI
    simulated_.reset();
#endif
  }

  double setup_before_start_s() const override {
    const char* t0 = std::getenv("PARBENCH_LAUNCH_T0");
    if (!first_start_ || t0 == nullptr) return 0.0;
    return std::max(0.0, g_loaded_at - std::strtod(t0, nullptr));
  }
  int nodes() const override { return nodes_; }
  std::string worker_hosts() const override { return hosts_; }
  std::string worker_cpus() const override { return cpus_; }
  bool reports() const override { return rank_ == 0; }

 private:
  // The dynamic schedule as a master-worker loop: rank 0 owns the chunk counter and answers
  // requests between its own chunks (it computes too, so that 2 ranks are 2 workers). Every other
  // rank keeps one request in flight while it computes, so the answer is usually there when it
  // needs it.
  WorkerShare run_dynamic_share() {
    constexpr int kRequestTag = 1;
    constexpr int kChunkTag = 2;
    constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t chunks = chunk_count(work_->size(), schedule_.chunk);
    const auto rank = static_cast<std::uint64_t>(rank_);
    const auto ranks = static_cast<std::uint64_t>(size_);
    if (rank_ == 0) {
      std::uint64_t next = 0;
      int finished = 0;  // ranks told that no chunk is left
      auto answer = [&](int source) {
        const std::uint64_t c = next < chunks ? next++ : kNone;
        if (c == kNone) ++finished;
        mpi_check(MPI_Send(&c, 1, MPI_UINT64_T, source, kChunkTag, MPI_COMM_WORLD), "MPI_Send");
      };
      // Open MPI's MPI_Iprobe matches before it progresses: a request that has arrived but not yet
      // been pulled in is only seen by the next call. Probing twice before giving up answers it now
      // instead of one chunk later (which halved the other ranks' share in measurements).
      auto serve_pending = [&] {
        for (int misses = 0; misses < 2;) {
          int waiting = 0;
          MPI_Status status;
          mpi_check(MPI_Iprobe(MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &waiting, &status),
                    "MPI_Iprobe");
          if (waiting == 0) {
            ++misses;
            continue;
          }
          mpi_check(MPI_Recv(nullptr, 0, MPI_BYTE, status.MPI_SOURCE, kRequestTag, MPI_COMM_WORLD,
                             MPI_STATUS_IGNORE),
                    "MPI_Recv");
          answer(status.MPI_SOURCE);
        }
      };
      WorkerShare share =
          run_share(*work_, schedule_, rank, ranks, [&]() -> std::optional<std::uint64_t> {
            serve_pending();
            return next < chunks ? std::optional(next++) : std::nullopt;
          });
      while (finished < size_ - 1) {  // the others' last requests
        MPI_Status status;
        mpi_check(
            MPI_Recv(nullptr, 0, MPI_BYTE, MPI_ANY_SOURCE, kRequestTag, MPI_COMM_WORLD, &status),
            "MPI_Recv");
        answer(status.MPI_SOURCE);
      }
      return share;
    }
    std::uint64_t reply = kNone;
    MPI_Request pending = MPI_REQUEST_NULL;
    auto request = [&] {
      mpi_check(MPI_Send(nullptr, 0, MPI_BYTE, 0, kRequestTag, MPI_COMM_WORLD), "MPI_Send");
      mpi_check(MPI_Irecv(&reply, 1, MPI_UINT64_T, 0, kChunkTag, MPI_COMM_WORLD, &pending),
                "MPI_Irecv");
    };
    request();
    return run_share(*work_, schedule_, rank, ranks, [&]() -> std::optional<std::uint64_t> {
      mpi_check(MPI_Wait(&pending, MPI_STATUS_IGNORE), "MPI_Wait");
      const std::uint64_t c = reply;
      if (c == kNone) return std::nullopt;
      request();  // prefetch the next chunk while this one is computed
      return c;
    });
  }

  // The host of every rank and the CPUs it may run on (its binding), in rank order, run-length
  // encoded: "node1*32;node2*32", "0-63*64".
  void gather_hosts() {
    char name[MPI_MAX_PROCESSOR_NAME] = {};
    int length = 0;
    mpi_check(MPI_Get_processor_name(name, &length), "MPI_Get_processor_name");
    const std::vector<std::string> names = gather_text(name);
    const std::vector<std::string> cpus = gather_text(allowed_cpus());
    if (rank_ != 0) return;
    nodes_ = static_cast<int>(std::set<std::string>(names.begin(), names.end()).size());
    hosts_ = run_length(names);
    cpus_ = run_length(cpus);
  }

  // One short text from every rank, at rank 0 (others get nothing).
  std::vector<std::string> gather_text(const std::string& mine) const {
    constexpr int kWidth = MPI_MAX_PROCESSOR_NAME;
    std::vector<char> buffer(kWidth, '\0');
    mine.copy(buffer.data(), kWidth - 1);
    std::vector<char> all(static_cast<std::size_t>(size_) * kWidth);
    mpi_check(MPI_Gather(buffer.data(), kWidth, MPI_CHAR, all.data(), kWidth, MPI_CHAR, 0,
                         MPI_COMM_WORLD),
              "MPI_Gather");
    std::vector<std::string> texts;
    if (rank_ != 0) return texts;
    for (int r = 0; r < size_; ++r) texts.emplace_back(&all[static_cast<std::size_t>(r) * kWidth]);
    return texts;
  }

  static inline bool started_before_ = false;
  bool first_start_ = false;
  const Workload* work_ = nullptr;
  Schedule schedule_;
  int rank_ = 0;
  int size_ = 1;
  int nodes_ = 1;
  std::string hosts_;
  std::string cpus_;
  std::function<std::unique_ptr<Backend>()> make_pool_;  // empty for plain mpi
  int threads_ = 1;
  std::unique_ptr<ThreadsInRank> pooled_;
#if PARBENCH_SMPI
  std::unique_ptr<SimulatedCompute> simulated_;
#endif
  Mechanism* mechanism_ = nullptr;
  MPI_Op min_nonzero_ = MPI_OP_NULL;
};

}  // namespace

std::string mpi_library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  mpi_check(MPI_Get_library_version(text, &length),
            "MPI_Get_library_version");  // allowed before MPI_Init
  std::string version(text, static_cast<std::size_t>(length));
  const auto cut = version.find_first_of(",\n");
  return version.substr(0, cut);
}

void abort_mpi_job(int code) {
  int initialised = 0;
  int finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  if (initialised != 0 && finalised == 0) MPI_Abort(MPI_COMM_WORLD, code);
}

#if PARBENCH_SMPI
// Under SMPI no launcher's environment names the rank: every rank is a context of one process.
int simulated_rank() {
  ensure_initialised();
  int rank = 0;
  mpi_check(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "MPI_Comm_rank");
  return rank;
}

int simulated_size() {
  ensure_initialised();
  int size = 0;
  mpi_check(MPI_Comm_size(MPI_COMM_WORLD, &size), "MPI_Comm_size");
  return size;
}

void finish_simulated_rank() {
  int initialised = 0;
  int finalised = 0;
  MPI_Initialized(&initialised);
  MPI_Finalized(&finalised);
  if (initialised != 0 && finalised == 0) MPI_Finalize();
}
#endif

Availability mpi_availability() {
#if PARBENCH_SMPI
  return {true, mpi_library_version() + ", simulated ranks (SimGrid SMPI)"};
#endif
  if (inside_mpi_launch()) return {true, mpi_library_version() + ", inside an MPI launch"};
  if (find_mpirun().empty()) return {false, mpi_library_version() + ", mpirun not found on PATH"};
  return {true, mpi_library_version() + ", mpirun found"};
}

std::unique_ptr<Backend> make_mpi_backend(std::function<std::unique_ptr<Backend>()> make_pool) {
  return std::make_unique<MpiBackend>(std::move(make_pool));
}

BackendEntry mpi_backend() {
  return {.name = "mpi",
          .summary = "MPI ranks, results combined by MPI_Reduce to rank 0",
          .make = [] { return make_mpi_backend(nullptr); },
          .availability = mpi_availability,
          .model = {ipc::Workers::kRanks},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic},
          .relaunch = relaunch_under_mpirun,
          .abort_job = abort_mpi_job,
          .options = mpirun_options};
}

}  // namespace parbench::backends
