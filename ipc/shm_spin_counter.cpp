// shm-spin: a word in shared memory under a test-and-test-and-set spin lock beside it: waiters
// read the lock word until it looks free and only then try to take it, so they spin in their own
// cache instead of bouncing the line with failed exchanges.
#include <atomic>

#include "ipc/shared_counter.hpp"
#include "ipc/shared_segment.hpp"

namespace parbench::ipc {
namespace {

// The lock and the count share a line on purpose: whoever holds the lock writes the count next.
// (No alignas(64): the segment's allocator gives 16-byte alignment, and the segment holds nothing
// else to share a line with.)
struct SpinLocked {
  std::atomic<std::uint32_t> locked{0};
  std::uint64_t value = 0;
};

class ShmSpinCounter final : public ReadModifyWriteCounter<ShmSpinCounter> {
 public:
  ShmSpinCounter() : segment_(4096), count_(segment_.construct_array<SpinLocked>("counter", 1)) {
    segment_.unlink();
  }

  // The lock, taken for as long as the object lives.
  class Held {
   public:
    explicit Held(std::atomic<std::uint32_t>& lock) : lock_(lock) {
      while (lock_.exchange(1, std::memory_order_acquire) != 0) {
        while (lock_.load(std::memory_order_relaxed) != 0) {
#if defined(__x86_64__) || defined(__i386__)
          __builtin_ia32_pause();
#endif
        }
      }
    }
    ~Held() { lock_.store(0, std::memory_order_release); }
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;

   private:
    std::atomic<std::uint32_t>& lock_;
  };
  Held hold() { return Held(count_->locked); }
  std::uint64_t read(const Held& /*held*/) const { return count_->value; }
  void write(const Held& /*held*/, std::uint64_t v) { count_->value = v; }

 private:
  SharedSegment segment_;
  SpinLocked* count_;
};

}  // namespace

CounterVariant shm_spin_counter_variant() {
  return {"shm-spin", "a word in shared memory under a test-and-test-and-set spin lock",
          Need::kMadeBeforeStart, true, make_counter<ShmSpinCounter>};
}

}  // namespace parbench::ipc
