// openmp: one OpenMP parallel region of --workers threads per repetition (GCC's libgomp), the
// shared-memory model most HPC codes use. The schedules are OpenMP's own worksharing loops over
// the workload's chunks, so that the runtime, not parbench, hands out the work:
//   static   schedule(static) over one block per thread: OpenMP's contiguous blocks
//   cyclic   schedule(static, 1) over chunks: chunk c to thread c mod W, schedule(static, chunk)
//   dynamic  schedule(dynamic, 1) over chunks: schedule(dynamic, chunk) on the items
// (Loops over chunks rather than items call the kernel once per chunk, as every backend does, and
// hand out exactly the chunks schedule(..., chunk) would.) The team is libgomp's pool: made by the
// first region at a thread count (start(), the setup the runner times) and reused by the next.
#include <fmt/format.h>
#include <omp.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <vector>

#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"

namespace parbench::backends {
namespace {

class OpenMpBackend final : public Backend {
 public:
  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    schedule_ = schedule;
    workers_ = workers;
    // The team of this size, made now so that the first repetition does not pay for it.
#pragma omp parallel num_threads(workers_)
    {}
  }

  RunOutput run() override {
    std::vector<PaddedShare> shares(static_cast<std::size_t>(workers_));
    failure_ = nullptr;
    failed_.store(false);
#pragma omp parallel num_threads(workers_)
    {
      // A team smaller than asked for (OMP_THREAD_LIMIT) still covers every iteration of the
      // worksharing loop; the threads it lacks report no work, and the runner warns about them.
      const auto me = static_cast<std::size_t>(omp_get_thread_num());
      shares[me].share = share_of_this_thread(me);
    }
    if (failure_) {
      rethrow_as_worker_failure(failure_, fmt::format("OpenMP thread {}", failed_thread_));
    }
    return combine_shares(*work_, shares);
  }

  void stop() noexcept override {}  // libgomp keeps its pool for the next region

 private:
  // This thread's part of the worksharing loop the schedule names; called inside the region. An
  // exception may not leave an iteration of an OpenMP loop (std::terminate): each is caught in its
  // chunk, and the chunks after it are skipped.
  WorkerShare share_of_this_thread(std::size_t me) {
    const Reduction r = work_->reduction();
    const std::uint64_t size = work_->size();
    const auto threads = static_cast<std::uint64_t>(workers_);
    const auto chunks = static_cast<std::int64_t>(chunk_count(size, schedule_.chunk));
    WorkerShare share{reduction_identity(r), {}};
    const auto take = [&](Slice slice) noexcept {
      if (failed_.load(std::memory_order_relaxed)) return;
      try {
        take_slice(*work_, share, slice);
      } catch (...) {
        note_failure(me);
      }
    };

    const double t0 = monotonic_s();
    switch (schedule_.kind) {
      case ScheduleKind::kCyclic:
#pragma omp for schedule(static, 1) nowait
        for (std::int64_t c = 0; c < chunks; ++c)
          take(chunk_slice(size, schedule_.chunk, static_cast<std::uint64_t>(c)));
        break;
      case ScheduleKind::kDynamic:
#pragma omp for schedule(dynamic, 1) nowait
        for (std::int64_t c = 0; c < chunks; ++c)
          take(chunk_slice(size, schedule_.chunk, static_cast<std::uint64_t>(c)));
        break;
      default:  // static: one contiguous block each
#pragma omp for schedule(static) nowait
        for (std::int64_t t = 0; t < static_cast<std::int64_t>(threads); ++t)
          take(static_block(size, threads, static_cast<std::uint64_t>(t)));
        break;
    }
    share.report.busy_s = monotonic_s() - t0;
    return share;
  }

  void note_failure(std::size_t thread) noexcept {
    const std::lock_guard lock(failure_mutex_);
    if (!failure_) {
      failure_ = std::current_exception();
      failed_thread_ = thread;
    }
    failed_.store(true, std::memory_order_relaxed);
  }

  const Workload* work_ = nullptr;
  Schedule schedule_;
  int workers_ = 1;
  std::atomic<bool> failed_{false};
  std::mutex failure_mutex_;
  std::exception_ptr failure_;
  std::size_t failed_thread_ = 0;
};

}  // namespace

BackendEntry openmp_backend() {
  return {.name = "openmp",
          .summary = "an OpenMP parallel region per repetition (its worksharing loops)",
          .make = [] { return std::unique_ptr<Backend>(new OpenMpBackend); },
          .availability =
              [] {
                return Availability{true, fmt::format("OpenMP {}", _OPENMP)};
              },
          .model = {ipc::Workers::kThreads},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic}};
}

}  // namespace parbench::backends
