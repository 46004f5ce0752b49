// tbb: oneTBB parallel_reduce inside a task_arena of exactly `workers` threads (the calling thread
// included). A global_control lifts TBB's default cap at the hardware threads, so that
// oversubscribed configurations really get the threads they ask for.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/concurrent_queue.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <fmt/format.h>
#include <limits>
#include <memory>
#include <thread>

#include "harness/backends/registry.hpp"
#include "harness/records/clock.hpp"
#include "harness/records/errors.hpp"

namespace parbench::backends {
namespace {

class TbbBackend final : public Backend {
 public:
  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    schedule_ = schedule;
    const auto n = static_cast<std::size_t>(workers);
    control_ =
        std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism, n);
    arena_ = std::make_unique<tbb::task_arena>(workers);
    busy_.assign(n, {});
    // Creating the worker threads is part of the setup, not of the first repetition.
    arena_->execute([&] { tbb::parallel_for(0, workers * 4, [](int) {}); });
  }

  RunOutput run() override {
    for (auto& b : busy_) b = {};
    std::uint64_t result = 0;
    try {
      execute(result);
    } catch (...) {  // TBB carries a task's exception out of the algorithm
      rethrow_as_worker_failure(std::current_exception(), "a TBB task");
    }
    RunOutput out;
    out.result = result;
    for (const auto& b : busy_) out.workers.push_back({b.busy_s, b.items});
    return out;
  }

  void stop() noexcept override {
    arena_.reset();
    control_.reset();
  }

 private:
  void execute(std::uint64_t& result) {
    arena_->execute([&] {
      switch (schedule_.kind) {
        case ScheduleKind::kStatic:
          result = reduce(std::max<std::uint64_t>(1, work_->size() / busy_.size()),
                          tbb::static_partitioner());
          break;
        case ScheduleKind::kDynamic:
          result = reduce(schedule_.chunk, tbb::simple_partitioner());
          break;
        case ScheduleKind::kAuto:
          // Slices large enough that the kernel dominates each task, small enough to balance.
          result = reduce(std::max<std::uint64_t>(4096, work_->size() / (busy_.size() * 64)),
                          tbb::auto_partitioner());
          break;
        case ScheduleKind::kCyclic:
        case ScheduleKind::kQueue:
          result = one_task_per_worker();
          break;
      }
    });
  }

  // parallel_reduce over the items with the given grain and partitioner.
  template <typename Partitioner>
  std::uint64_t reduce(std::uint64_t grain, Partitioner partitioner) {
    const Reduction r = work_->reduction();
    return tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(0, work_->size(), grain), reduction_identity(r),
        [&](const tbb::blocked_range<std::uint64_t>& range, std::uint64_t acc) {
          const double t0 = monotonic_s();
          std::uint64_t done = 0;
          const std::uint64_t partial = work_->run_slice_counted(range.begin(), range.end(), done);
          auto& mine =
              busy_[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())];
          mine.busy_s += monotonic_s() - t0;
          mine.items += done;
          return fold(r, acc, partial);
        },
        [r](std::uint64_t a, std::uint64_t b) { return fold(r, a, b); }, partitioner);
  }

  // Cyclic and queue: one task per worker running the shared worker loop; for the queue, a feeder
  // thread outside the arena fills a concurrent_bounded_queue alongside.
  std::uint64_t one_task_per_worker() {
    constexpr std::uint64_t kPill = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t workers = busy_.size();
    tbb::concurrent_bounded_queue<std::uint64_t> queue;
    queue.set_capacity(1024);
    std::jthread feeder;
    if (schedule_.kind == ScheduleKind::kQueue) {
      feeder = std::jthread([&] {
        for (std::uint64_t c = 0; c < chunk_count(work_->size(), schedule_.chunk); ++c)
          queue.push(c);
        for (std::uint64_t w = 0; w < workers; ++w) queue.push(kPill);
      });
    }
    std::vector<WorkerShare> shares(workers);
    tbb::parallel_for(std::uint64_t{0}, workers, [&](std::uint64_t w) {
      shares[w] = run_share(*work_, schedule_, w, workers, [&]() -> std::optional<std::uint64_t> {
        std::uint64_t c = 0;
        queue.pop(c);
        return c == kPill ? std::nullopt : std::optional(c);
      });
    });
    std::uint64_t result = reduction_identity(work_->reduction());
    for (std::uint64_t w = 0; w < workers; ++w) {
      result = fold(work_->reduction(), result, shares[w].value);
      busy_[w] = {shares[w].report.busy_s, shares[w].report.items};
    }
    return result;
  }

  struct alignas(64) Busy {  // one cache line per thread: each slot is written by one thread only
    double busy_s = 0.0;
    std::uint64_t items = 0;
  };
  const Workload* work_ = nullptr;
  Schedule schedule_;
  std::unique_ptr<tbb::global_control> control_;
  std::unique_ptr<tbb::task_arena> arena_;
  std::vector<Busy> busy_;
};

}  // namespace

BackendEntry tbb_backend() {
  return {.name = "tbb",
          .summary = "oneTBB parallel_reduce in a task_arena of exactly `workers` threads",
          .make = [] { return std::unique_ptr<Backend>(new TbbBackend); },
          .availability =
              [] {
                return Availability{true, fmt::format("oneTBB {}", TBB_runtime_version())};
              },
          .model = {.workers = ipc::Workers::kThreads, .tbb_tasks = true},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic,
                        ScheduleKind::kQueue, ScheduleKind::kAuto}};
}

}  // namespace parbench::backends
