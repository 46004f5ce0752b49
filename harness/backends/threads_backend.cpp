// threads: a pool of std::jthread workers, started once per configuration. Each repetition wakes
// them through an atomic generation counter (C++20 wait/notify, a futex underneath) and waits for
// the last one to finish. Dynamic chunks come from a std::atomic counter; queued chunks from a
// bounded queue that the calling thread fills while the workers drain it.
#include <fmt/format.h>

#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "harness/backends/registry.hpp"
#include "harness/records/errors.hpp"
#include "ipc/bounded_queue.hpp"

namespace parbench::backends {
namespace {

constexpr std::uint64_t kPoisonPill = std::numeric_limits<std::uint64_t>::max();
constexpr std::size_t kQueueCapacity = 1024;

// Waits until `word` no longer holds `old`: polls for a few microseconds first, then sleeps on the
// futex. A sleeping thread took milliseconds to wake on this VM (its vCPU halts), which a hybrid,
// whose rank wakes its pool for every chunk, paid per chunk; OpenMP runtimes and oneTBB spin first
// for the same reason.
template <typename T>
void wait_while(const std::atomic<T>& word, T old) {
  constexpr int kPolls = 4000;
  for (int i = 0; i < kPolls; ++i) {
    if (word.load(std::memory_order_acquire) != old) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  while (word.load() == old) word.wait(old);
}

class ThreadsBackend final : public Backend {
 public:
  ~ThreadsBackend() override { stop(); }

  void start(const Workload& work, int workers, const Schedule& schedule) override {
    work_ = &work;
    schedule_ = schedule;
    shares_.assign(static_cast<std::size_t>(workers), {});
    // Each worker starts from the generation read here; reading it inside the thread could miss the
    // first run() and sleep through it.
    const std::uint32_t first = generation_.load();
    for (int i = 0; i < workers; ++i) {
      threads_.emplace_back(
          [this, i, first](const std::stop_token& stop) { worker_loop(stop, i, first); });
    }
  }

  RunOutput run() override {
    const auto n = static_cast<int>(threads_.size());
    next_chunk_.store(0);
    remaining_.store(n);
    generation_.fetch_add(1);
    generation_.notify_all();
    if (schedule_.kind == ScheduleKind::kQueue) feed_queue(static_cast<std::uint64_t>(n));
    // Asleep, not polling: the workers may need this thread's core (a rank bound to one core).
    for (int left = remaining_.load(); left != 0; left = remaining_.load()) remaining_.wait(left);
    if (failure_) {
      rethrow_as_worker_failure(std::exchange(failure_, nullptr),
                                fmt::format("worker {}", failed_worker_));
    }

    return combine_shares(*work_, shares_);
  }

  void stop() noexcept override {
    for (auto& t : threads_) t.request_stop();
    generation_.fetch_add(1);
    generation_.notify_all();
    threads_.clear();  // joins
  }

 private:
  // The book's asynchronous feeder: every chunk, then one poison pill per worker.
  void feed_queue(std::uint64_t workers) {
    const std::uint64_t chunks = chunk_count(work_->size(), schedule_.chunk);
    for (std::uint64_t c = 0; c < chunks; ++c) queue_.push(c);
    for (std::uint64_t w = 0; w < workers; ++w) queue_.push(kPoisonPill);
  }

  std::optional<std::uint64_t> claim() {
    if (schedule_.kind == ScheduleKind::kQueue) {
      const std::uint64_t c = queue_.pop();
      return c == kPoisonPill ? std::nullopt : std::optional(c);
    }
    const std::uint64_t c = next_chunk_.fetch_add(1, std::memory_order_relaxed);
    return c < chunk_count(work_->size(), schedule_.chunk) ? std::optional(c) : std::nullopt;
  }

  void worker_loop(const std::stop_token& stop, int index, std::uint32_t seen) {
    const auto workers = static_cast<std::uint64_t>(shares_.size());
    for (;;) {
      wait_while(generation_, seen);
      seen = generation_.load();
      if (stop.stop_requested()) return;
      try {
        shares_[static_cast<std::size_t>(index)].share =
            run_share(*work_, schedule_, static_cast<std::uint64_t>(index), workers,
                      [this] { return claim(); });
      } catch (...) {
        std::lock_guard lock(failure_mutex_);
        failure_ = std::current_exception();
        failed_worker_ = index;
        // A queue worker that stops early must still drain to its pill, or the feeder blocks
        // forever.
        if (schedule_.kind == ScheduleKind::kQueue) {
          while (queue_.pop() != kPoisonPill) {
          }
        }
      }
      if (remaining_.fetch_sub(1) == 1) remaining_.notify_one();
    }
  }

  const Workload* work_ = nullptr;
  Schedule schedule_;
  std::vector<PaddedShare> shares_;
  std::vector<std::jthread> threads_;
  // 32 bits: a futex word, which libstdc++ waits on directly; a 64-bit atomic waits through a
  // proxy that took milliseconds to wake a worker here (a hybrid wakes its pool once per chunk).
  std::atomic<std::uint32_t> generation_{0};
  std::atomic<int> remaining_{0};
  std::atomic<std::uint64_t> next_chunk_{0};
  ipc::BoundedQueue<std::uint64_t> queue_{kQueueCapacity};
  std::mutex failure_mutex_;
  std::exception_ptr failure_;
  int failed_worker_ = 0;
};

}  // namespace

BackendEntry threads_backend() {
  return {.name = "threads",
          .summary = "a pool of std::jthread workers",
          .make = [] { return std::unique_ptr<Backend>(new ThreadsBackend); },
          .availability = always_available,
          .model = {ipc::Workers::kThreads},
          .schedules = {ScheduleKind::kStatic, ScheduleKind::kCyclic, ScheduleKind::kDynamic,
                        ScheduleKind::kQueue}};
}

}  // namespace parbench::backends
