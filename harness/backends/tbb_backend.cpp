// tbb: oneTBB parallel_reduce inside a task_arena of exactly `workers` threads (the calling thread
// included). A global_control lifts TBB's default cap at the hardware threads, so that
// oversubscribed configurations really get the threads they ask for.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_reduce.h>
#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/version.h>

#include <fmt/format.h>
#include <memory>

#include "harness/backends/registry.hpp"
#include "harness/clock.hpp"

namespace parbench::backends {
namespace {

class TbbBackend final : public Backend {
 public:
  void start(const Workload& work, int workers) override {
    work_ = &work;
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
    const Reduction r = work_->reduction();
    // Slices large enough that the vectorised kernel dominates each task, small enough to balance.
    const std::uint64_t grain = std::max<std::uint64_t>(4096, work_->size() / (busy_.size() * 64));
    std::uint64_t result = 0;
    arena_->execute([&] {
      result = tbb::parallel_reduce(
          tbb::blocked_range<std::uint64_t>(0, work_->size(), grain), reduction_identity(r),
          [&](const tbb::blocked_range<std::uint64_t>& range, std::uint64_t acc) {
            const double t0 = monotonic_s();
            const std::uint64_t partial = work_->run_slice(range.begin(), range.end());
            auto& mine =
                busy_[static_cast<std::size_t>(tbb::this_task_arena::current_thread_index())];
            mine.busy_s += monotonic_s() - t0;
            mine.items += range.size();
            return fold(r, acc, partial);
          },
          [r](std::uint64_t a, std::uint64_t b) { return fold(r, a, b); });
    });
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
  struct alignas(64) Busy {  // one cache line per thread: each slot is written by one thread only
    double busy_s = 0.0;
    std::uint64_t items = 0;
  };
  const Workload* work_ = nullptr;
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
              }};
}

}  // namespace parbench::backends
