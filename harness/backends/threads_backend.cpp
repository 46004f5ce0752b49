// threads: a pool of std::jthread workers, started once per configuration. Each repetition wakes
// them through an atomic generation counter (C++20 wait/notify, a futex underneath) and waits for
// the last one to finish.
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "harness/backends/registry.hpp"
#include "harness/clock.hpp"
#include "harness/errors.hpp"
#include "harness/partition.hpp"

namespace parbench::backends {
namespace {

class ThreadsBackend final : public Backend {
 public:
  ~ThreadsBackend() override { stop(); }

  void start(const Workload& work, int workers) override {
    work_ = &work;
    partials_.assign(static_cast<std::size_t>(workers), {});
    // Each worker starts from the generation read here; reading it inside the thread could miss the
    // first run() and sleep through it.
    const std::uint64_t first = generation_.load();
    for (int i = 0; i < workers; ++i) {
      threads_.emplace_back(
          [this, i, first](const std::stop_token& stop) { worker_loop(stop, i, first); });
    }
  }

  RunOutput run() override {
    const auto n = static_cast<int>(threads_.size());
    remaining_.store(n);
    generation_.fetch_add(1);
    generation_.notify_all();
    for (int left = remaining_.load(); left != 0; left = remaining_.load()) remaining_.wait(left);
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));

    RunOutput out;
    out.result = reduction_identity(work_->reduction());
    for (const auto& p : partials_) {
      out.result = fold(work_->reduction(), out.result, p.value);
      out.workers.push_back(p.report);
    }
    return out;
  }

  void stop() noexcept override {
    for (auto& t : threads_) t.request_stop();
    generation_.fetch_add(1);
    generation_.notify_all();
    threads_.clear();  // joins
  }

 private:
  struct alignas(64) Partial {  // one cache line each: workers never share a line
    std::uint64_t value = 0;
    WorkerReport report;
  };

  void worker_loop(const std::stop_token& stop, int index, std::uint64_t seen) {
    for (;;) {
      generation_.wait(seen);
      seen = generation_.load();
      if (stop.stop_requested()) return;
      const Slice slice =
          static_block(work_->size(), partials_.size(), static_cast<unsigned>(index));
      auto& partial = partials_[static_cast<std::size_t>(index)];
      try {
        const double t0 = monotonic_s();
        partial.value = work_->run_slice(slice.begin, slice.end);
        partial.report = {monotonic_s() - t0, slice.size()};
      } catch (...) {
        std::lock_guard lock(failure_mutex_);
        failure_ = std::current_exception();
      }
      if (remaining_.fetch_sub(1) == 1) remaining_.notify_one();
    }
  }

  const Workload* work_ = nullptr;
  std::vector<Partial> partials_;
  std::vector<std::jthread> threads_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> remaining_{0};
  std::mutex failure_mutex_;
  std::exception_ptr failure_;
};

}  // namespace

BackendEntry threads_backend() {
  return {.name = "threads",
          .summary = "a pool of std::jthread workers, one contiguous block each",
          .make = [] { return std::unique_ptr<Backend>(new ThreadsBackend); },
          .availability =
              [] {
                return Availability{true, ""};
              }};
}

}  // namespace parbench::backends
