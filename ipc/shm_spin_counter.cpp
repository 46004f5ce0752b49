// shm-spin: a word in shared memory under a test-and-test-and-set spin lock beside it: waiters
// read the lock word until it looks free and only then try to take it, so they spin in their own
// cache instead of bouncing the line with failed exchanges.
#include <atomic>

#include "ipc/shm_locked_counter.hpp"

namespace parbench::ipc {
namespace {

using SpinLock = std::atomic<std::uint32_t>;  // 0: free

// The lock, taken for as long as the object lives.
class Held {
 public:
  explicit Held(SpinLock& lock) : lock_(lock) {
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
  SpinLock& lock_;
};

}  // namespace

CounterVariant shm_spin_counter_variant() {
  return {{"shm-spin", "a word in shared memory under a test-and-test-and-set spin lock",
           Need::kMadeBeforeStart, make_from_settings<ShmLockedCounter<SpinLock, Held>>},
          /*safe=*/true};
}

}  // namespace parbench::ipc
